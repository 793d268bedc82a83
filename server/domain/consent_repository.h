#ifndef CAREERS_SERVER_DOMAIN_CONSENT_REPOSITORY_H_
#define CAREERS_SERVER_DOMAIN_CONSENT_REPOSITORY_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "careers/v1/consent_service.pb.h"
#include "server/domain/profile_repository.h"
#include "server/domain/request_context.h"

namespace careers::domain {

struct ConsentQuery {
  std::string profile_id;
  std::optional<v1::Consent::State> state;
  std::optional<v1::Consent::Purpose> purpose;
  std::optional<std::string> organisation_id;
  std::optional<CreationCursor> before;  // newest first: resume below this
  int limit = 50;
};

struct GuardianLinkQuery {
  std::string profile_id;
  std::optional<CreationCursor> before;
  int limit = 50;
};

struct AccessEventQuery {
  std::optional<std::string> profile_id;     // one profile's events
  std::optional<std::string> actor_subject;  // one actor's events
  std::optional<v1::AccessEvent::Action> action;
  std::optional<std::string> before_id;  // newest first: ids below this
  int limit = 50;
};

// A profile's guardian link as it stands, with what decides whether it is
// in force: the person's date of birth.
struct GuardianLinkRow {
  v1::GuardianLink link;
  absl::CivilDay person_birth_date;
};

// Storage of consents, guardian links and access events. Resources go in
// complete (names, times and actors chosen by the domain) and come out with
// their etag. Writes record an AccessEvent in the same transaction when the
// context says so. Implementations are thread-safe.
class ConsentRepository {
 public:
  virtual ~ConsentRepository() = default;

  // NOT_FOUND if the profile does not exist; ALREADY_EXISTS if an active
  // consent for the same purpose and organisation exists.
  virtual absl::StatusOr<v1::Consent> CreateConsent(
      const RequestContext& ctx, const std::string& profile_id,
      const std::string& id, const v1::Consent& consent,
      const IdempotencyKey* key) = 0;
  virtual absl::StatusOr<v1::Consent> GetConsent(const RequestContext& ctx,
                                                 const std::string& profile_id,
                                                 const std::string& id) = 0;
  virtual absl::StatusOr<Page<v1::Consent>> ListConsents(
      const RequestContext& ctx, const ConsentQuery& query) = 0;
  virtual absl::StatusOr<v1::Consent> UpdateConsent(
      const RequestContext& ctx, const std::string& profile_id,
      const std::string& id, const Mutation<v1::Consent>& mutate) = 0;

  // NOT_FOUND if the profile does not exist; ALREADY_EXISTS if the guardian
  // already has an active link to the person.
  virtual absl::StatusOr<GuardianLinkRow> CreateGuardianLink(
      const RequestContext& ctx, const std::string& profile_id,
      const std::string& id, const v1::GuardianLink& link,
      const IdempotencyKey* key) = 0;
  // `effective` is left for the domain to fill from the row.
  virtual absl::StatusOr<GuardianLinkRow> GetGuardianLink(
      const RequestContext& ctx, const std::string& profile_id,
      const std::string& id) = 0;
  virtual absl::StatusOr<Page<GuardianLinkRow>> ListGuardianLinks(
      const RequestContext& ctx, const GuardianLinkQuery& query) = 0;
  // The mutation sees the person's date of birth alongside the link.
  virtual absl::StatusOr<GuardianLinkRow> UpdateGuardianLink(
      const RequestContext& ctx, const std::string& profile_id,
      const std::string& id, const Mutation<GuardianLinkRow>& mutate) = 0;

  virtual absl::StatusOr<Page<v1::AccessEvent>> ListAccessEvents(
      const RequestContext& ctx, const AccessEventQuery& query) = 0;
};

// Records reads of a person's data (writes are recorded by the store in
// their own transaction). Never fails the call: recording is queued and
// written in batches. Thread-safe.
class AccessRecorder {
 public:
  virtual ~AccessRecorder() = default;
  // `resource` is the name read; `profile_id` the person it belongs to.
  virtual void RecordRead(const RequestContext& ctx,
                          absl::string_view profile_id,
                          absl::string_view resource) = 0;
};

// The facts about people and their relationships that access decisions
// rest on, read from the database. Thread-safe.
class AccessFacts {
 public:
  virtual ~AccessFacts() = default;
  // An active SHARE_WITH_ORGANISATION consent exists.
  virtual absl::StatusOr<bool> IsSharedWith(
      const RequestContext& ctx, const std::string& profile_id,
      const std::string& organisation_id) = 0;
  // `subject` has an active guardian link that is in force (the person is
  // under 16, or confirmed it at 16 or over).
  virtual absl::StatusOr<bool> IsGuardianOf(const RequestContext& ctx,
                                            const std::string& profile_id,
                                            const std::string& subject) = 0;
  // The person is under 16 today.
  virtual absl::StatusOr<bool> IsUnder16(const RequestContext& ctx,
                                         const std::string& profile_id) = 0;
  // The guardian subject of a link, if the link exists.
  virtual absl::StatusOr<std::optional<std::string>> GuardianOfLink(
      const RequestContext& ctx, const std::string& profile_id,
      const std::string& link_id) = 0;
};

// Whether a guardian link gives access on `today`.
bool GuardianLinkInForce(const v1::GuardianLink& link,
                         absl::CivilDay birth_date, absl::CivilDay today);

}  // namespace careers::domain

#endif  // CAREERS_SERVER_DOMAIN_CONSENT_REPOSITORY_H_
