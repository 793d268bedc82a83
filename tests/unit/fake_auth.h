#ifndef CAREERS_TESTS_UNIT_FAKE_AUTH_H_
#define CAREERS_TESTS_UNIT_FAKE_AUTH_H_

#include "server/auth/access_policy.h"
#include "server/auth/authenticator.h"

namespace careers::testing {

// Every caller is this principal (an administrator unless changed). For
// tests of layers other than authentication.
class FixedAuthenticator final : public auth::Authenticator {
 public:
  auth::Principal principal = [] {
    auth::Principal p;
    p.subject = "test-operator";
    p.role = auth::Role::kAdmin;
    return p;
  }();
  absl::StatusOr<auth::Principal> Authenticate(absl::string_view,
                                               absl::Time) const override {
    return principal;
  }
};

// Allows everything and shows every profile. For tests of other layers.
// With `person_data`, every call touches a person's data (so callers other
// than the person are recorded).
class AllowAllPolicy final : public auth::AccessPolicy {
 public:
  bool person_data = false;
  absl::StatusOr<auth::AccessGrant> Check(const RequestContext&,
                                          absl::string_view,
                                          absl::string_view) const override {
    return auth::AccessGrant{person_data};
  }
  ProfileVisibility VisibilityFor(const auth::Principal&) const override {
    return {ProfileVisibility::Kind::kAll, ""};
  }
};

}  // namespace careers::testing

#endif  // CAREERS_TESTS_UNIT_FAKE_AUTH_H_
