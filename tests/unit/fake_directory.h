#ifndef CAREERS_TESTS_UNIT_FAKE_DIRECTORY_H_
#define CAREERS_TESTS_UNIT_FAKE_DIRECTORY_H_

#include <map>
#include <mutex>
#include <string>
#include <tuple>

#include "server/common/proto_time.h"
#include "server/domain/directory_repository.h"
#include "server/domain/errors.h"
#include "server/domain/etag.h"
#include "tests/unit/fake_tables.h"

namespace careers::testing {

// In-memory DirectoryRepository for domain unit tests: the contract of
// store::DirectoryStore (etags from versions, NOT_FOUND, ALREADY_EXISTS for
// ids and subjects, request-id replay, (display name, id) order), no SQL.
// Thread-safe.
class FakeDirectory final : public domain::DirectoryRepository,
                            private FakeTables {
 public:
  // ------------------------------------------------------------ lookups
  absl::StatusOr<bool> OrganisationExists(const RequestContext&,
                                          const std::string& id) override {
    std::lock_guard<std::mutex> lock(mu_);
    return organisations_.count(id) > 0;
  }
  absl::StatusOr<bool> AdviserExists(const RequestContext&,
                                     const std::string& id) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = advisers_.find(id);
    return it != advisers_.end() && !it->second.value.has_delete_time();
  }
  absl::StatusOr<std::optional<domain::AdviserIdentity>> FindAdviserBySubject(
      const RequestContext&, const std::string& subject) override {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [id, e] : advisers_) {
      if (e.value.subject() == subject) {
        return domain::AdviserIdentity{id, IdOf(e.value.organisation()),
                                       e.value.active(),
                                       e.value.has_delete_time()};
      }
    }
    return std::nullopt;
  }
  absl::StatusOr<std::optional<std::string>> OrganisationOfAdviser(
      const RequestContext&, const std::string& id) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = advisers_.find(id);
    if (it == advisers_.end()) return std::nullopt;
    return IdOf(it->second.value.organisation());
  }
  absl::StatusOr<std::optional<std::string>> TimeZoneOfLocation(
      const RequestContext&, const std::string& id) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = locations_.find(id);
    if (it == locations_.end()) return std::nullopt;
    return it->second.value.time_zone();
  }
  absl::StatusOr<std::optional<std::string>> OrganisationOfLocation(
      const RequestContext&, const std::string& id) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = locations_.find(id);
    if (it == locations_.end()) return std::nullopt;
    return IdOf(it->second.value.organisation());
  }

  // ------------------------------------------------------ organisations
  absl::StatusOr<v1::Organisation> CreateOrganisation(
      const RequestContext&, const std::string& id, const v1::Organisation& o,
      const domain::IdempotencyKey* key) override {
    std::lock_guard<std::mutex> lock(mu_);
    return Create(organisations_, id, o, key);
  }
  absl::StatusOr<v1::Organisation> GetOrganisation(
      const RequestContext&, const std::string& id) override {
    std::lock_guard<std::mutex> lock(mu_);
    return Get(organisations_, id, "organisations/" + id);
  }
  absl::StatusOr<domain::Page<v1::Organisation>> ListOrganisations(
      const RequestContext&, const domain::OrganisationQuery& q) override {
    std::lock_guard<std::mutex> lock(mu_);
    return List(organisations_, q.after, q.limit,
                [&](const v1::Organisation& o) {
                  return (!q.kind || o.kind() == *q.kind) &&
                         (!q.region || o.region() == *q.region) &&
                         (!q.parent_id ||
                          o.parent() == "organisations/" + *q.parent_id);
                });
  }
  absl::StatusOr<v1::Organisation> UpdateOrganisation(
      const RequestContext&, const std::string& id,
      const domain::OrganisationMutation& mutate) override {
    std::lock_guard<std::mutex> lock(mu_);
    const domain::ParentLookup parents = [this](const std::string& org)
        -> absl::StatusOr<std::optional<std::string>> {
      auto it = organisations_.find(org);
      if (it == organisations_.end()) return std::nullopt;
      return IdOf(it->second.value.parent());
    };
    return Update<v1::Organisation>(
        organisations_, id, "organisations/" + id,
        [&](v1::Organisation& o) { return mutate(o, parents); });
  }

  // ----------------------------------------------------------- advisers
  absl::StatusOr<v1::Adviser> CreateAdviser(
      const RequestContext&, const std::string& id, const v1::Adviser& a,
      const domain::IdempotencyKey* key) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (!a.subject().empty()) {
      for (const auto& [other, e] : advisers_) {
        if (other != id && e.value.subject() == a.subject()) {
          return absl::AlreadyExistsError("subject taken");
        }
      }
    }
    return Create(advisers_, id, a, key);
  }
  absl::StatusOr<v1::Adviser> GetAdviser(const RequestContext&,
                                         const std::string& id) override {
    std::lock_guard<std::mutex> lock(mu_);
    return Get(advisers_, id, "advisers/" + id);
  }
  absl::StatusOr<domain::Page<v1::Adviser>> ListAdvisers(
      const RequestContext&, const domain::AdviserQuery& q) override {
    std::lock_guard<std::mutex> lock(mu_);
    return List(advisers_, q.after, q.limit, [&](const v1::Adviser& a) {
      bool speaks = !q.language_code;
      for (const std::string& code : a.language_codes()) {
        if (q.language_code && code == *q.language_code) speaks = true;
      }
      return (q.show_deleted || !a.has_delete_time()) &&
             (!q.organisation_id ||
              a.organisation() == "organisations/" + *q.organisation_id) &&
             (!q.active || a.active() == *q.active) && speaks;
    });
  }
  absl::StatusOr<v1::Adviser> UpdateAdviser(
      const RequestContext&, const std::string& id,
      const domain::Mutation<v1::Adviser>& mutate) override {
    std::lock_guard<std::mutex> lock(mu_);
    return Update<v1::Adviser>(
        advisers_, id, "advisers/" + id, [&](v1::Adviser& a) -> absl::Status {
          if (absl::Status s = mutate(a); !s.ok()) return s;
          for (const auto& [other, e] : advisers_) {
            if (other != id && !a.subject().empty() &&
                e.value.subject() == a.subject()) {
              return absl::AlreadyExistsError("subject taken");
            }
          }
          return absl::OkStatus();
        });
  }

  // ---------------------------------------------------------- locations
  absl::StatusOr<v1::Location> CreateLocation(
      const RequestContext&, const std::string& id, const v1::Location& l,
      const domain::IdempotencyKey* key) override {
    std::lock_guard<std::mutex> lock(mu_);
    return Create(locations_, id, l, key);
  }
  absl::StatusOr<v1::Location> GetLocation(const RequestContext&,
                                           const std::string& id) override {
    std::lock_guard<std::mutex> lock(mu_);
    return Get(locations_, id, "locations/" + id);
  }
  absl::StatusOr<domain::Page<v1::Location>> ListLocations(
      const RequestContext&, const domain::LocationQuery& q) override {
    std::lock_guard<std::mutex> lock(mu_);
    return List(locations_, q.after, q.limit, [&](const v1::Location& l) {
      return (!q.kind || l.kind() == *q.kind) &&
             (!q.organisation_id ||
              l.organisation() == "organisations/" + *q.organisation_id);
    });
  }
  absl::StatusOr<v1::Location> UpdateLocation(
      const RequestContext&, const std::string& id,
      const domain::Mutation<v1::Location>& mutate) override {
    std::lock_guard<std::mutex> lock(mu_);
    return Update(locations_, id, "locations/" + id, mutate);
  }

  // Puts an organisation in place directly (test setup).
  void AddOrganisation(const std::string& id, const std::string& parent_id = "",
                       const std::string& display_name = "") {
    std::lock_guard<std::mutex> lock(mu_);
    v1::Organisation& o = organisations_[id].value;
    o.set_name("organisations/" + id);
    o.set_display_name(display_name.empty() ? id : display_name);
    o.set_kind(v1::Organisation::SCHOOL);
    if (!parent_id.empty()) o.set_parent("organisations/" + parent_id);
  }
  int adviser_count() {
    std::lock_guard<std::mutex> lock(mu_);
    return static_cast<int>(advisers_.size());
  }

 private:
  static std::string IdOf(const std::string& name) {
    return name.substr(name.rfind('/') + 1);
  }
  template <typename T, typename Pred>
  domain::Page<T> List(Table<T>& table,
                       const std::optional<domain::NameCursor>& after,
                       int limit, Pred keep) {
    std::map<std::pair<std::string, std::string>, T> sorted;
    for (const auto& [id, e] : table) {
      if (!keep(e.value)) continue;
      auto key = std::make_pair(e.value.display_name(), id);
      if (after && key <= std::make_pair(after->display_name, after->id)) {
        continue;
      }
      sorted.emplace(key, WithEtag(e));
    }
    return TakePage(sorted, limit);
  }

  std::mutex mu_;
  Table<v1::Organisation> organisations_;
  Table<v1::Adviser> advisers_;
  Table<v1::Location> locations_;
};

}  // namespace careers::testing

#endif  // CAREERS_TESTS_UNIT_FAKE_DIRECTORY_H_
