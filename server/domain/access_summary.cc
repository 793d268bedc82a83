#include "server/domain/access_summary.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "server/domain/method_access.h"

namespace careers::domain {

std::string AccessSummary(absl::string_view method,
                          v1::AccessEvent::Action action) {
  const v1::MethodAccess* access = MethodAccessOf(method);
  if (access != nullptr && !access->summary().empty()) {
    return access->summary();
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
