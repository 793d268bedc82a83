#ifndef CAREERS_SERVER_AUTH_PRINCIPAL_H_
#define CAREERS_SERVER_AUTH_PRINCIPAL_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace careers::auth {

// The roles of docs/product.md#roles.
enum class Role { kPerson, kGuardian, kAdviser, kOrgAdmin, kService, kAdmin };

inline constexpr Role kAllRoles[] = {Role::kPerson,  Role::kGuardian,
                                     Role::kAdviser, Role::kOrgAdmin,
                                     Role::kService, Role::kAdmin};

// "person", "guardian", "adviser", "org_admin", "service", "admin": the
// values of a token's `role` claim.
inline absl::string_view RoleName(Role role) {
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

inline std::optional<Role> ParseRole(absl::string_view name) {
  for (Role role : kAllRoles) {
    if (RoleName(role) == name) return role;
  }
  return std::nullopt;
}

// Who is calling, as established from their credentials. A plain value.
struct Principal {
  std::string subject;  // stable id of the caller at the identity provider
  Role role = Role::kPerson;
  std::string organisation;         // staff: organisations/{organisation}
  std::string profile;              // person: profiles/{profile}
  std::vector<std::string> scopes;  // service: what its token allows

  bool IsStaff() const {
    return role == Role::kAdviser || role == Role::kOrgAdmin;
  }
  bool HasScope(absl::string_view scope) const {
    for (const std::string& s : scopes) {
      if (s == scope) return true;
    }
    return false;
  }
};

}  // namespace careers::auth

#endif  // CAREERS_SERVER_AUTH_PRINCIPAL_H_
