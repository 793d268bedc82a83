#ifndef CAREERS_SERVER_STORE_DIRECTORY_STORE_H_
#define CAREERS_SERVER_STORE_DIRECTORY_STORE_H_

#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/domain/directory_repository.h"
#include "server/store/database.h"

namespace careers::store {

// Organisations, advisers and locations on MariaDB/MySQL (db/migrations/0001
// and 0004), and the lookups other parts of the server make on them
// (domain::DirectoryLookup). Columns hold what is filtered, sorted, joined
// or unique; the rest of an adviser or location is its serialized
// careers.v1 message in `details`. Thread-safe; `db` must outlive it.
//
// Who a signed-in adviser is (FindAdviserBySubject, asked on every staff
// call) is remembered for `adviser_ttl`: a change to any adviser made
// through this store forgets them all at once, and a change made by
// another replica is seen within the TTL (1 s by default). Only advisers
// found are remembered, so a new adviser can sign in at once anywhere.
class DirectoryStore final : public domain::DirectoryRepository {
 public:
  explicit DirectoryStore(Database& db,
                          absl::Duration adviser_ttl = absl::Seconds(1))
      : db_(db), adviser_ttl_(adviser_ttl) {}
  DirectoryStore(const DirectoryStore&) = delete;
  DirectoryStore& operator=(const DirectoryStore&) = delete;

  // domain::DirectoryLookup.
  absl::StatusOr<bool> OrganisationExists(const RequestContext& ctx,
                                          const std::string& id) override;
  absl::StatusOr<bool> AdviserExists(const RequestContext& ctx,
                                     const std::string& id) override;
  absl::StatusOr<std::optional<domain::AdviserIdentity>> FindAdviserBySubject(
      const RequestContext& ctx, const std::string& subject) override;
  absl::StatusOr<std::optional<std::string>> OrganisationOfAdviser(
      const RequestContext& ctx, const std::string& adviser_id) override;
  absl::StatusOr<std::optional<std::string>> TimeZoneOfLocation(
      const RequestContext& ctx, const std::string& location_id) override;
  absl::StatusOr<std::optional<std::string>> OrganisationOfLocation(
      const RequestContext& ctx, const std::string& location_id) override;

  // domain::DirectoryRepository.
  absl::StatusOr<v1::Organisation> CreateOrganisation(
      const RequestContext& ctx, const std::string& id,
      const v1::Organisation& organisation,
      const domain::IdempotencyKey* key) override;
  absl::StatusOr<v1::Organisation> GetOrganisation(
      const RequestContext& ctx, const std::string& id) override;
  absl::StatusOr<domain::Page<v1::Organisation>> ListOrganisations(
      const RequestContext& ctx,
      const domain::OrganisationQuery& query) override;
  absl::StatusOr<v1::Organisation> UpdateOrganisation(
      const RequestContext& ctx, const std::string& id,
      const domain::OrganisationMutation& mutate) override;

  absl::StatusOr<v1::Adviser> CreateAdviser(
      const RequestContext& ctx, const std::string& id,
      const v1::Adviser& adviser, const domain::IdempotencyKey* key) override;
  absl::StatusOr<v1::Adviser> GetAdviser(const RequestContext& ctx,
                                         const std::string& id) override;
  absl::StatusOr<domain::Page<v1::Adviser>> ListAdvisers(
      const RequestContext& ctx, const domain::AdviserQuery& query) override;
  absl::StatusOr<v1::Adviser> UpdateAdviser(
      const RequestContext& ctx, const std::string& id,
      const domain::Mutation<v1::Adviser>& mutate) override;

  absl::StatusOr<v1::Location> CreateLocation(
      const RequestContext& ctx, const std::string& id,
      const v1::Location& location, const domain::IdempotencyKey* key) override;
  absl::StatusOr<v1::Location> GetLocation(const RequestContext& ctx,
                                           const std::string& id) override;
  absl::StatusOr<domain::Page<v1::Location>> ListLocations(
      const RequestContext& ctx, const domain::LocationQuery& query) override;
  absl::StatusOr<v1::Location> UpdateLocation(
      const RequestContext& ctx, const std::string& id,
      const domain::Mutation<v1::Location>& mutate) override;

 private:
  struct CachedAdviser {
    domain::AdviserIdentity identity;
    absl::Time expires;
  };
  void ForgetAdvisers();

  Database& db_;
  const absl::Duration adviser_ttl_;
  absl::Mutex cache_mu_;
  absl::flat_hash_map<std::string, CachedAdviser> advisers_by_subject_
      ABSL_GUARDED_BY(cache_mu_);
};

}  // namespace careers::store

#endif  // CAREERS_SERVER_STORE_DIRECTORY_STORE_H_
