#ifndef CAREERS_SERVER_AUTH_PRINCIPAL_H_
#define CAREERS_SERVER_AUTH_PRINCIPAL_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace careers::auth {

// The roles of PRODUCT.md.
enum class Role { kPerson, kGuardian, kAdviser, kOrgAdmin, kService, kAdmin };

absl::string_view RoleName(Role role);

// Who is calling, as established from their credentials. A plain value.
struct Principal {
  std::string subject;  // stable id of the caller (token `sub`)
  Role role = Role::kPerson;
  std::string organisation;         // staff: organisations/{organisation}
  std::string profile;              // person: profiles/{profile}
  std::vector<std::string> scopes;  // service: what its token allows
};

}  // namespace careers::auth

#endif  // CAREERS_SERVER_AUTH_PRINCIPAL_H_
