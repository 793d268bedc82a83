#ifndef CAREERS_SERVER_DOMAIN_ACCESS_SUMMARY_H_
#define CAREERS_SERVER_DOMAIN_ACCESS_SUMMARY_H_

#include <string>

#include "absl/strings/string_view.h"
#include "careers/v1/consent_service.pb.h"

// The access record in the person's words: what a method did to their data
// (declared once per method in the protos, as the `careers.v1.access`
// option) and who did it, when the directory gave no name. Stateless;
// thread-safe.
namespace careers::domain {

// Read and written as the fallback summaries of methods without one.
inline constexpr absl::string_view kReadSummary = "read your data";
inline constexpr absl::string_view kWriteSummary = "changed your data";

// The `careers.v1.access` summary of `method`
// ("careers.v1.ProfileService/GetProfile" → "viewed your profile"), as
// MethodAccessOf (method_access.h) reads it; for a method without one (or
// not a careers.v1 method) "changed your data" for writes and "read your
// data" otherwise.
std::string AccessSummary(absl::string_view method,
                          v1::AccessEvent::Action action);

// How the person is told who acted, when no name was found for the actor
// (an adviser's or a guardian's): by role, "your parent or carer", "a
// national administrator", "<subject> service" ("analytics service").
std::string ActorDescription(const v1::Actor& actor);

// Fills in `summary`, and `actor_display_name` if it is empty, from the
// stored fields.
void DescribeAccessEvent(v1::AccessEvent& event);

}  // namespace careers::domain

#endif  // CAREERS_SERVER_DOMAIN_ACCESS_SUMMARY_H_
