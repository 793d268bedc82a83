#include "server/domain/access_summary.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "careers/v1/annotations.pb.h"
#include "careers/v1/booking_service.pb.h"
#include "careers/v1/profile_service.pb.h"
#include "careers/v1/skills_service.pb.h"
#include "google/protobuf/descriptor.h"

namespace careers::domain {
namespace {

// The generated pool, with every service file in it: a file's descriptors
// are registered only if the binary links its generated code, so one
// message of each file with person-data methods is named here.
const google::protobuf::DescriptorPool& ApiPool() {
  static const bool linked = [] {
    const google::protobuf::Descriptor* files[] = {
        v1::Profile::descriptor(), v1::Consent::descriptor(),
        v1::Appointment::descriptor(), v1::Experience::descriptor()};
    return files[0] != nullptr;
  }();
  (void)linked;
  return *google::protobuf::DescriptorPool::generated_pool();
}

}  // namespace

std::string AccessSummary(absl::string_view method,
                          v1::AccessEvent::Action action) {
  // "careers.v1.ProfileService/GetProfile" is the method
  // careers.v1.ProfileService.GetProfile.
  const size_t slash = method.rfind('/');
  if (slash != absl::string_view::npos) {
    const google::protobuf::MethodDescriptor* found =
        ApiPool().FindMethodByName(absl::StrCat(method.substr(0, slash), ".",
                                                method.substr(slash + 1)));
    if (found != nullptr) {
      const std::string& summary =
          found->options().GetExtension(v1::access).summary();
      if (!summary.empty()) return summary;
    }
  }
  return std::string(action == v1::AccessEvent::WRITE ? kWriteSummary
                                                      : kReadSummary);
}

std::string ActorDescription(const v1::Actor& actor) {
  const std::string& role = actor.role();
  if (role == "guardian") return "your parent or carer";
  if (role == "admin") return "a national administrator";
  if (role == "adviser") return "an adviser";
  if (role == "org_admin") return "an organisation administrator";
  if (role == "person") return "you";
  if (role == "service") {
    if (actor.subject().empty()) return "a service";
    // "analytics" → "analytics service"; "booking-service" stays.
    if (absl::EndsWithIgnoreCase(actor.subject(), "service")) {
      return actor.subject();
    }
    return absl::StrCat(actor.subject(), " service");
  }
  return actor.subject().empty() ? "someone" : actor.subject();
}

void DescribeAccessEvent(v1::AccessEvent& event) {
  event.set_summary(AccessSummary(event.method(), event.action()));
  if (event.actor_display_name().empty()) {
    event.set_actor_display_name(ActorDescription(event.actor()));
  }
}

}  // namespace careers::domain
