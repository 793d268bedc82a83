#include "server/auth/principal.h"

namespace careers::auth {

absl::string_view RoleName(Role role) {
  switch (role) {
    case Role::kPerson:
      return "person";
    case Role::kGuardian:
      return "guardian";
    case Role::kAdviser:
      return "adviser";
    case Role::kOrgAdmin:
      return "org_admin";
    case Role::kService:
      return "service";
    case Role::kAdmin:
      return "admin";
  }
  return "unknown";
}

}  // namespace careers::auth
