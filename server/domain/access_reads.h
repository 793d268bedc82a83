#ifndef CAREERS_SERVER_DOMAIN_ACCESS_READS_H_
#define CAREERS_SERVER_DOMAIN_ACCESS_READS_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "server/domain/request_context.h"

namespace careers::domain {

// The person whose data a resource is: the profile its name is under
// ("profiles/p/goals/g" → "p"), else the one its `profile` field names
// (appointments, waitlist entries); "" for anything else.
std::string ProfileIdOfResource(const google::protobuf::Message& resource);

// What a successful read returned of people's data, as entries of their
// access records — the one rule for every read method:
// - a resource (a message with a google.api.resource option): that
//   resource;
// - a list (a response with next_page_token) of a person's resources (the
//   request names `profiles/{p}` or a child of it): one entry for the
//   collection ("profiles/p/goals");
// - a list of resources of several people (all shared profiles, an
//   adviser's agenda, a session's queue): one entry per resource;
// - anything else about a person (a summary, an export): the person's
//   resource the request named;
// plus `noted`, what the domain call noted it read besides. Entries that
// belong to nobody are left out.
std::vector<PersonalRead> ReadsIn(const google::protobuf::Message& response,
                                  absl::string_view request_resource,
                                  const std::vector<PersonalRead>& noted);

}  // namespace careers::domain

#endif  // CAREERS_SERVER_DOMAIN_ACCESS_READS_H_
