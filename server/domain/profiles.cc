#include "server/domain/profiles.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "server/common/crypto.h"
#include "server/common/ids.h"
#include "server/common/proto_time.h"
#include "server/common/status_macros.h"
#include "server/domain/errors.h"
#include "server/domain/field_mask.h"
#include "server/domain/filter.h"
#include "server/domain/profile_rules.h"
#include "server/domain/resource_names.h"
#include "server/domain/standard_methods.h"

namespace careers::domain {
namespace {

using errors::FieldViolations;
using google::protobuf::EnumDescriptor;

constexpr absl::Duration kPageTokenLifetime = absl::Hours(24);

// A state change as a compare-and-set: allowed only from `from`.
template <typename Resource, typename State>
Mutation<Resource> StateChange(std::string etag, State to,
                               std::vector<State> allowed,
                               const EnumDescriptor* states, absl::Time now) {
  return [etag = std::move(etag), to, allowed, states,
          now](Resource& r) -> absl::Status {
    CAREERS_RETURN_IF_ERROR(CheckEtag(r, etag));
    if (std::find(allowed.begin(), allowed.end(), r.state()) == allowed.end()) {
      std::vector<std::string> from_names;
      for (State s : allowed)
        from_names.push_back(states->FindValueByNumber(s)->name());
      return errors::FailedPrecondition(
          "STATE", r.name(),
          absl::StrCat("is ", states->FindValueByNumber(r.state())->name(),
                       "; it can become ",
                       states->FindValueByNumber(to)->name(), " only from ",
                       absl::StrJoin(from_names, " or ")));
    }
    r.set_state(to);
    *r.mutable_state_time() = ToProtoTimestamp(now);
    *r.mutable_update_time() = ToProtoTimestamp(now);
    return absl::OkStatus();
  };
}

}  // namespace

Profiles::Profiles(ProfileRepository& repository, DirectoryLookup& directory,
                   const Clock& clock, const PageTokenCodec& page_tokens)
    : repository_(repository),
      directory_(directory),
      clock_(clock),
      page_tokens_(page_tokens) {}

absl::CivilDay Profiles::Today() const {
  return absl::ToCivilDay(clock_.Now(), absl::UTCTimeZone());
}

absl::Status Profiles::CheckReferences(
    const RequestContext& ctx,
    std::vector<std::pair<std::string, std::string>> organisation_refs,
    std::vector<std::pair<std::string, std::string>> adviser_refs) {
  FieldViolations v;
  for (const auto& [field, name] : organisation_refs) {
    if (name.empty()) continue;
    CAREERS_ASSIGN_OR_RETURN(
        std::string id, names::ParseName(field, name, names::kOrganisations));
    CAREERS_ASSIGN_OR_RETURN(bool exists,
                             directory_.OrganisationExists(ctx, id));
    if (!exists) v.Add(field, absl::StrCat(name, " does not exist"));
  }
  for (const auto& [field, name] : adviser_refs) {
    if (name.empty()) continue;
    CAREERS_ASSIGN_OR_RETURN(std::string id,
                             names::ParseName(field, name, names::kAdvisers));
    CAREERS_ASSIGN_OR_RETURN(bool exists, directory_.AdviserExists(ctx, id));
    if (!exists) v.Add(field, absl::StrCat(name, " does not exist"));
  }
  return v.ToStatus();
}

// ---------------------------------------------------------------- profiles

absl::StatusOr<v1::Profile> Profiles::CreateProfile(
    const RequestContext& ctx, const v1::CreateProfileRequest& req) {
  if (!req.has_profile()) return errors::InvalidField("profile", "is required");
  FieldViolations v;
  v1::Profile profile = req.profile();
  ClearOutputOnlyFields(profile);
  rules::NormalizeAndCheckProfile(profile, Today(), "profile", v);
  CheckClientChosenId("profile_id", req.profile_id(), v);
  const std::optional<IdempotencyKey> key =
      IdempotencyKeyFor("CreateProfile", ctx, req, v);
  CAREERS_RETURN_IF_ERROR(v.ToStatus());
  CAREERS_RETURN_IF_ERROR(CheckReferences(
      ctx, {{"profile.home_organisation", profile.home_organisation()}}, {}));

  const absl::Time now = clock_.Now();
  const std::string id =
      req.profile_id().empty() ? NewResourceId(now) : req.profile_id();
  profile.set_name(names::Name(names::kProfiles, id));
  *profile.mutable_create_time() = ToProtoTimestamp(now);
  *profile.mutable_update_time() = ToProtoTimestamp(now);
  return repository_.CreateProfile(ctx, id, profile, KeyPtr(key));
}

absl::StatusOr<v1::Profile> Profiles::GetProfile(
    const RequestContext& ctx, const v1::GetProfileRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(
      std::string id, names::ParseName("name", req.name(), names::kProfiles));
  CAREERS_ASSIGN_OR_RETURN(v1::Profile profile,
                           repository_.GetProfile(ctx, id));
  return profile;
}

absl::StatusOr<v1::ListProfilesResponse> Profiles::ListProfiles(
    const RequestContext& ctx, const v1::ListProfilesRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(
      const int page_size,
      ResolvePageSize(req.page_size(), kDefaultPageSize, kMaxPageSize));
  CAREERS_ASSIGN_OR_RETURN(
      std::vector<FilterTerm> terms,
      ParseFilter(req.filter(), {"home_organisation", "life_stage",
                                 "support_level", "family_name"}));
  ProfileQuery query;
  query.limit = page_size;
  FieldViolations v;
  for (const FilterTerm& term : terms) {
    if (term.field == "home_organisation") {
      query.home_organisation_id =
          NameFilterValue(term, names::kOrganisations, v);
    } else if (term.field == "life_stage") {
      if (auto value =
              EnumFilterValue(term, v1::Profile::LifeStage_descriptor(), v)) {
        query.life_stage = static_cast<v1::Profile::LifeStage>(*value);
      }
    } else if (term.field == "support_level") {
      if (auto value = EnumFilterValue(
              term, v1::Profile::SupportLevel_descriptor(), v)) {
        query.support_level = static_cast<v1::Profile::SupportLevel>(*value);
      }
    } else if (term.field == "family_name") {
      std::string value = term.value;
      const bool prefix = absl::EndsWith(value, "*");
      if (prefix) value.pop_back();
      if (absl::StrContains(value, "*")) {
        v.Add("filter", "family_name may only end with * (a prefix match)");
      } else if (prefix) {
        if (!value.empty()) query.family_name_prefix = value;
      } else {
        query.family_name = value;
      }
    }
  }
  CAREERS_RETURN_IF_ERROR(v.ToStatus());

  const absl::Time now = clock_.Now();
  const std::string digest =
      PageTokenCodec::QueryDigest({"ListProfiles", req.filter()});
  if (!req.page_token().empty()) {
    CAREERS_ASSIGN_OR_RETURN(
        std::vector<std::string> key,
        page_tokens_.Decode(req.page_token(), digest, now));
    if (key.size() != 3)
      return errors::InvalidField("page_token", "is malformed");
    query.after = ProfileCursor{key[0], key[1], key[2]};
  }
  CAREERS_ASSIGN_OR_RETURN(Page<v1::Profile> page,
                           repository_.ListProfiles(ctx, query));
  v1::ListProfilesResponse resp;
  for (v1::Profile& p : page.items) *resp.add_profiles() = std::move(p);
  if (page.has_more && resp.profiles_size() > 0) {
    const v1::Profile& last = *resp.profiles().rbegin();
    resp.set_next_page_token(page_tokens_.Encode(
        digest,
        {last.family_name(), last.given_name(), LastSegment(last.name())},
        now));
  }
  return resp;
}

absl::StatusOr<v1::Profile> Profiles::UpdateProfile(
    const RequestContext& ctx, const v1::UpdateProfileRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(
      std::string id,
      names::ParseName("profile.name", req.profile().name(), names::kProfiles));
  // The mask's values on an empty profile: checks the mask, and gives the
  // references this update writes, before any row is locked.
  v1::Profile changes;
  CAREERS_RETURN_IF_ERROR(
      ApplyFieldMask(req.update_mask(), req.profile(), changes, "update_mask"));
  CAREERS_RETURN_IF_ERROR(CheckReferences(
      ctx, {{"profile.home_organisation", changes.home_organisation()}}, {}));

  const absl::Time now = clock_.Now();
  const absl::CivilDay today = Today();
  return repository_.UpdateProfile(
      ctx, id, [&](v1::Profile& current) -> absl::Status {
        CAREERS_RETURN_IF_ERROR(CheckEtag(current, req.profile().etag()));
        CAREERS_RETURN_IF_ERROR(ApplyFieldMask(req.update_mask(), req.profile(),
                                               current, "update_mask"));
        FieldViolations v;
        rules::NormalizeAndCheckProfile(current, today, "profile", v);
        CAREERS_RETURN_IF_ERROR(v.ToStatus());
        *current.mutable_update_time() = ToProtoTimestamp(now);
        return absl::OkStatus();
      });
}

// ------------------------------------------------------------------- goals

absl::StatusOr<v1::Goal> Profiles::CreateGoal(
    const RequestContext& ctx, const v1::CreateGoalRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(
      std::string profile_id,
      names::ParseName("parent", req.parent(), names::kProfiles));
  if (!req.has_goal()) return errors::InvalidField("goal", "is required");
  FieldViolations v;
  v1::Goal goal = req.goal();
  ClearOutputOnlyFields(goal);
  rules::NormalizeAndCheckGoal(goal, "goal", v);
  const std::optional<IdempotencyKey> key =
      IdempotencyKeyFor("CreateGoal", ctx, req, v);
  CAREERS_RETURN_IF_ERROR(v.ToStatus());

  const absl::Time now = clock_.Now();
  const std::string id = NewResourceId(now);
  goal.set_name(
      names::ChildName(names::kProfiles, profile_id, names::kGoals, id));
  goal.set_state(v1::Goal::IN_PROGRESS);
  *goal.mutable_create_time() = ToProtoTimestamp(now);
  *goal.mutable_update_time() = ToProtoTimestamp(now);
  *goal.mutable_state_time() = ToProtoTimestamp(now);
  return repository_.CreateGoal(ctx, profile_id, id, goal, KeyPtr(key));
}

absl::StatusOr<v1::Goal> Profiles::GetGoal(const RequestContext& ctx,
                                           const v1::GetGoalRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(
      names::ChildId id,
      names::ParseChildName("name", req.name(), names::kProfiles,
                            names::kGoals));
  CAREERS_ASSIGN_OR_RETURN(v1::Goal goal,
                           repository_.GetGoal(ctx, id.parent_id, id.id));
  return goal;
}

absl::StatusOr<v1::ListGoalsResponse> Profiles::ListGoals(
    const RequestContext& ctx, const v1::ListGoalsRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(
      std::string profile_id,
      names::ParseName("parent", req.parent(), names::kProfiles));
  CAREERS_ASSIGN_OR_RETURN(
      const int page_size,
      ResolvePageSize(req.page_size(), kDefaultPageSize, kMaxPageSize));
  CAREERS_ASSIGN_OR_RETURN(std::vector<FilterTerm> terms,
                           ParseFilter(req.filter(), {"state", "goal_type"}));
  GoalQuery query;
  query.profile_id = profile_id;
  query.limit = page_size;
  FieldViolations v;
  for (const FilterTerm& term : terms) {
    if (term.field == "state") {
      if (auto value = EnumFilterValue(term, v1::Goal::State_descriptor(), v)) {
        query.state = static_cast<v1::Goal::State>(*value);
      }
    } else if (auto value =
                   EnumFilterValue(term, v1::Goal::GoalType_descriptor(), v)) {
      query.goal_type = static_cast<v1::Goal::GoalType>(*value);
    }
  }
  CAREERS_RETURN_IF_ERROR(v.ToStatus());

  const absl::Time now = clock_.Now();
  const std::string digest =
      PageTokenCodec::QueryDigest({"ListGoals", req.parent(), req.filter()});
  CAREERS_ASSIGN_OR_RETURN(
      query.after,
      DecodeCreationCursor(page_tokens_, req.page_token(), digest, now));
  CAREERS_ASSIGN_OR_RETURN(Page<v1::Goal> page,
                           repository_.ListGoals(ctx, query));
  v1::ListGoalsResponse resp;
  for (v1::Goal& g : page.items) *resp.add_goals() = std::move(g);
  if (page.has_more && resp.goals_size() > 0) {
    const v1::Goal& last = *resp.goals().rbegin();
    resp.set_next_page_token(EncodeCreationCursor(
        page_tokens_, digest, last.create_time(), last.name(), now));
  }
  return resp;
}

absl::StatusOr<v1::Goal> Profiles::UpdateGoal(
    const RequestContext& ctx, const v1::UpdateGoalRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(
      names::ChildId id,
      names::ParseChildName("goal.name", req.goal().name(), names::kProfiles,
                            names::kGoals));
  v1::Goal changes;
  CAREERS_RETURN_IF_ERROR(
      ApplyFieldMask(req.update_mask(), req.goal(), changes, "update_mask"));
  const absl::Time now = clock_.Now();
  return repository_.UpdateGoal(
      ctx, id.parent_id, id.id, [&](v1::Goal& current) -> absl::Status {
        CAREERS_RETURN_IF_ERROR(CheckEtag(current, req.goal().etag()));
        CAREERS_RETURN_IF_ERROR(ApplyFieldMask(req.update_mask(), req.goal(),
                                               current, "update_mask"));
        FieldViolations v;
        rules::NormalizeAndCheckGoal(current, "goal", v);
        CAREERS_RETURN_IF_ERROR(v.ToStatus());
        *current.mutable_update_time() = ToProtoTimestamp(now);
        return absl::OkStatus();
      });
}

absl::StatusOr<v1::Goal> Profiles::ChangeGoalState(const RequestContext& ctx,
                                                   const std::string& name,
                                                   const std::string& etag,
                                                   v1::Goal::State to) {
  CAREERS_ASSIGN_OR_RETURN(
      names::ChildId id,
      names::ParseChildName("name", name, names::kProfiles, names::kGoals));
  std::vector<v1::Goal::State> from = {v1::Goal::IN_PROGRESS};
  if (to == v1::Goal::IN_PROGRESS) {
    from = {v1::Goal::ACHIEVED, v1::Goal::NO_LONGER_RELEVANT};
  }
  return repository_.UpdateGoal(
      ctx, id.parent_id, id.id,
      StateChange<v1::Goal>(etag, to, from, v1::Goal::State_descriptor(),
                            clock_.Now()));
}

// ----------------------------------------------------------------- actions

absl::Status Profiles::CheckGoalExists(const RequestContext& ctx,
                                       const std::string& field,
                                       const std::string& goal_name) {
  auto id =
      names::ParseChildName(field, goal_name, names::kProfiles, names::kGoals);
  if (!id.ok()) return absl::OkStatus();  // the rules report its form
  auto goal = repository_.GetGoal(ctx, id->parent_id, id->id);
  if (absl::IsNotFound(goal.status())) {
    return errors::InvalidField(field,
                                absl::StrCat(goal_name, " does not exist"));
  }
  return goal.status();
}

absl::Status Profiles::CheckActionReferences(const RequestContext& ctx,
                                             const v1::Action& action,
                                             const std::string& prefix) {
  if (!action.goal().empty()) {
    CAREERS_RETURN_IF_ERROR(
        CheckGoalExists(ctx, prefix + ".goal", action.goal()));
  }
  return CheckReferences(ctx,
                         {{prefix + ".signposted_to.organisation",
                           action.signposted_to().organisation()}},
                         {{prefix + ".owner_adviser", action.owner_adviser()}});
}

absl::StatusOr<v1::Action> Profiles::CreateAction(
    const RequestContext& ctx, const v1::CreateActionRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(
      std::string profile_id,
      names::ParseName("parent", req.parent(), names::kProfiles));
  if (!req.has_action()) return errors::InvalidField("action", "is required");
  FieldViolations v;
  v1::Action action = req.action();
  ClearOutputOnlyFields(action);
  rules::NormalizeAndCheckAction(action, profile_id, "action", v);
  const std::optional<IdempotencyKey> key =
      IdempotencyKeyFor("CreateAction", ctx, req, v);
  CAREERS_RETURN_IF_ERROR(v.ToStatus());
  CAREERS_RETURN_IF_ERROR(CheckActionReferences(ctx, action, "action"));

  const absl::Time now = clock_.Now();
  const std::string id = NewResourceId(now);
  action.set_name(
      names::ChildName(names::kProfiles, profile_id, names::kActions, id));
  action.set_state(v1::Action::OPEN);
  *action.mutable_create_time() = ToProtoTimestamp(now);
  *action.mutable_update_time() = ToProtoTimestamp(now);
  *action.mutable_state_time() = ToProtoTimestamp(now);
  return repository_.CreateAction(ctx, profile_id, id, action, KeyPtr(key));
}

absl::StatusOr<v1::Action> Profiles::GetAction(
    const RequestContext& ctx, const v1::GetActionRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(
      names::ChildId id,
      names::ParseChildName("name", req.name(), names::kProfiles,
                            names::kActions));
  CAREERS_ASSIGN_OR_RETURN(v1::Action action,
                           repository_.GetAction(ctx, id.parent_id, id.id));
  return action;
}

absl::StatusOr<v1::ListActionsResponse> Profiles::ListActions(
    const RequestContext& ctx, const v1::ListActionsRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(
      std::string profile_id,
      names::ParseName("parent", req.parent(), names::kProfiles));
  CAREERS_ASSIGN_OR_RETURN(
      const int page_size,
      ResolvePageSize(req.page_size(), kDefaultPageSize, kMaxPageSize));
  CAREERS_ASSIGN_OR_RETURN(
      std::vector<FilterTerm> terms,
      ParseFilter(req.filter(), {"state", "owner", "goal"}));
  ActionQuery query;
  query.profile_id = profile_id;
  query.limit = page_size;
  FieldViolations v;
  for (const FilterTerm& term : terms) {
    if (term.field == "state") {
      if (auto value =
              EnumFilterValue(term, v1::Action::State_descriptor(), v)) {
        query.state = static_cast<v1::Action::State>(*value);
      }
    } else if (term.field == "owner") {
      if (auto value =
              EnumFilterValue(term, v1::Action::Owner_descriptor(), v)) {
        query.owner = static_cast<v1::Action::Owner>(*value);
      }
    } else {
      auto goal = names::ParseChildName("filter", term.value, names::kProfiles,
                                        names::kGoals);
      if (!goal.ok() || goal->parent_id != profile_id) {
        v.Add("filter", "goal must be the name of a goal of this profile");
      } else {
        query.goal_id = goal->id;
      }
    }
  }
  CAREERS_RETURN_IF_ERROR(v.ToStatus());

  const absl::Time now = clock_.Now();
  const std::string digest =
      PageTokenCodec::QueryDigest({"ListActions", req.parent(), req.filter()});
  CAREERS_ASSIGN_OR_RETURN(
      query.after,
      DecodeCreationCursor(page_tokens_, req.page_token(), digest, now));
  CAREERS_ASSIGN_OR_RETURN(Page<v1::Action> page,
                           repository_.ListActions(ctx, query));
  v1::ListActionsResponse resp;
  for (v1::Action& a : page.items) *resp.add_actions() = std::move(a);
  if (page.has_more && resp.actions_size() > 0) {
    const v1::Action& last = *resp.actions().rbegin();
    resp.set_next_page_token(EncodeCreationCursor(
        page_tokens_, digest, last.create_time(), last.name(), now));
  }
  return resp;
}

absl::StatusOr<v1::Action> Profiles::UpdateAction(
    const RequestContext& ctx, const v1::UpdateActionRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(
      names::ChildId id,
      names::ParseChildName("action.name", req.action().name(),
                            names::kProfiles, names::kActions));
  v1::Action changes;
  CAREERS_RETURN_IF_ERROR(
      ApplyFieldMask(req.update_mask(), req.action(), changes, "update_mask"));
  CAREERS_RETURN_IF_ERROR(CheckActionReferences(ctx, changes, "action"));
  const absl::Time now = clock_.Now();
  return repository_.UpdateAction(
      ctx, id.parent_id, id.id, [&](v1::Action& current) -> absl::Status {
        CAREERS_RETURN_IF_ERROR(CheckEtag(current, req.action().etag()));
        CAREERS_RETURN_IF_ERROR(ApplyFieldMask(req.update_mask(), req.action(),
                                               current, "update_mask"));
        FieldViolations v;
        rules::NormalizeAndCheckAction(current, id.parent_id, "action", v);
        CAREERS_RETURN_IF_ERROR(v.ToStatus());
        *current.mutable_update_time() = ToProtoTimestamp(now);
        return absl::OkStatus();
      });
}

absl::StatusOr<v1::Action> Profiles::ChangeActionState(
    const RequestContext& ctx, const std::string& name, const std::string& etag,
    v1::Action::State to) {
  CAREERS_ASSIGN_OR_RETURN(
      names::ChildId id,
      names::ParseChildName("name", name, names::kProfiles, names::kActions));
  std::vector<v1::Action::State> from = {v1::Action::OPEN};
  if (to == v1::Action::OPEN) from = {v1::Action::DONE, v1::Action::CANCELLED};
  return repository_.UpdateAction(
      ctx, id.parent_id, id.id,
      StateChange<v1::Action>(etag, to, from, v1::Action::State_descriptor(),
                              clock_.Now()));
}

}  // namespace careers::domain
