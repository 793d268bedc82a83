#include "server/domain/directory.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/rpc/error_details.pb.h"
#include "server/common/crypto.h"
#include "server/common/ids.h"
#include "server/common/proto_time.h"
#include "server/common/status_macros.h"
#include "server/domain/directory_rules.h"
#include "server/domain/errors.h"
#include "server/domain/field_mask.h"
#include "server/domain/filter.h"
#include "server/domain/resource_names.h"
#include "server/domain/standard_methods.h"

namespace careers::domain {
namespace {

using errors::FieldViolations;
using google::protobuf::EnumDescriptor;

constexpr char kAdviserType[] = "careers.uk/Adviser";

// An immutable reference may be repeated in an update, but not changed.
absl::Status CheckUnchanged(const std::string& field, const std::string& given,
                            const std::string& current) {
  if (given.empty() || given == current) return absl::OkStatus();
  return errors::InvalidField(
      field,
      absl::StrCat("cannot be changed after create (it is ", current, ")"));
}

// The adviser as `ctx`'s caller may see it.
absl::StatusOr<v1::Adviser> Visible(const RequestContext& ctx,
                                    absl::StatusOr<v1::Adviser> adviser) {
  if (adviser.ok()) rules::RedactAdviser(ctx.principal, *adviser);
  return adviser;
}

// NOT_FOUND for deleting an adviser that is already deleted (AIP-164).
absl::Status AlreadyDeleted(const std::string& name) {
  google::rpc::ResourceInfo info;
  info.set_resource_type(kAdviserType);
  info.set_resource_name(name);
  info.set_description("already deleted");
  absl::Status status =
      absl::NotFoundError(absl::StrCat(name, " is already deleted"));
  status.SetPayload(errors::kResourceInfoType,
                    absl::Cord(info.SerializeAsString()));
  return status;
}

}  // namespace

Directory::Directory(DirectoryRepository& repository, const Clock& clock,
                     const PageTokenCodec& page_tokens)
    : repository_(repository), clock_(clock), page_tokens_(page_tokens) {}

absl::Status Directory::CheckOrganisationExists(const RequestContext& ctx,
                                                const std::string& field,
                                                const std::string& name) {
  if (name.empty()) return absl::OkStatus();
  CAREERS_ASSIGN_OR_RETURN(
      std::string id, names::ParseName(field, name, names::kOrganisations));
  CAREERS_ASSIGN_OR_RETURN(bool exists,
                           repository_.OrganisationExists(ctx, id));
  if (!exists) {
    return errors::InvalidField(field, absl::StrCat(name, " does not exist"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<NameCursor>> Directory::DecodeCursor(
    const std::string& token, const std::string& digest, absl::Time now) const {
  if (token.empty()) return std::nullopt;
  CAREERS_ASSIGN_OR_RETURN(std::vector<std::string> key,
                           page_tokens_.Decode(token, digest, now));
  if (key.size() != 2)
    return errors::InvalidField("page_token", "is malformed");
  return NameCursor{key[0], key[1]};
}

std::string Directory::EncodeCursor(const std::string& digest,
                                    const std::string& display_name,
                                    const std::string& name,
                                    absl::Time now) const {
  return page_tokens_.Encode(digest, {display_name, LastSegment(name)}, now);
}

// ----------------------------------------------------------- organisations

absl::StatusOr<v1::Organisation> Directory::CreateOrganisation(
    const RequestContext& ctx, const v1::CreateOrganisationRequest& req) {
  if (!req.has_organisation()) {
    return errors::InvalidField("organisation", "is required");
  }
  FieldViolations v;
  v1::Organisation organisation = req.organisation();
  ClearOutputOnlyFields(organisation);
  rules::NormalizeAndCheckOrganisation(organisation, "organisation", v);
  CheckClientChosenId("organisation_id", req.organisation_id(), v);
  const std::optional<IdempotencyKey> key =
      IdempotencyKeyFor("CreateOrganisation", ctx, req, v);
  CAREERS_RETURN_IF_ERROR(v.ToStatus());

  const absl::Time now = clock_.Now();
  const std::string id = req.organisation_id().empty() ? NewResourceId(now)
                                                       : req.organisation_id();
  // A new organisation cannot close a cycle (nothing is below it yet), but
  // its parent must exist and the chain above must not be too long.
  CAREERS_RETURN_IF_ERROR(rules::CheckParent(
      id, LastSegment(organisation.parent()),
      [&](const std::string& ancestor)
          -> absl::StatusOr<std::optional<std::string>> {
        absl::StatusOr<v1::Organisation> found =
            repository_.GetOrganisation(ctx, ancestor);
        if (absl::IsNotFound(found.status())) return std::nullopt;
        if (!found.ok()) return found.status();
        return LastSegment(found->parent());
      },
      "organisation.parent", v));
  CAREERS_RETURN_IF_ERROR(v.ToStatus());

  organisation.set_name(names::Name(names::kOrganisations, id));
  *organisation.mutable_create_time() = ToProtoTimestamp(now);
  *organisation.mutable_update_time() = ToProtoTimestamp(now);
  return repository_.CreateOrganisation(ctx, id, organisation, KeyPtr(key));
}

absl::StatusOr<v1::Organisation> Directory::GetOrganisation(
    const RequestContext& ctx, const v1::GetOrganisationRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(
      std::string id,
      names::ParseName("name", req.name(), names::kOrganisations));
  return repository_.GetOrganisation(ctx, id);
}

absl::StatusOr<v1::ListOrganisationsResponse> Directory::ListOrganisations(
    const RequestContext& ctx, const v1::ListOrganisationsRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(
      const int page_size,
      ResolvePageSize(req.page_size(), kDefaultPageSize, kMaxPageSize));
  CAREERS_ASSIGN_OR_RETURN(
      std::vector<FilterTerm> terms,
      ParseFilter(req.filter(), {"kind", "region", "parent"}));
  OrganisationQuery query;
  query.limit = page_size;
  FieldViolations v;
  for (const FilterTerm& term : terms) {
    if (term.field == "kind") {
      if (auto value =
              EnumFilterValue(term, v1::Organisation::Kind_descriptor(), v)) {
        query.kind = static_cast<v1::Organisation::Kind>(*value);
      }
    } else if (term.field == "region") {
      query.region = term.value;
    } else {
      query.parent_id = NameFilterValue(term, names::kOrganisations, v);
    }
  }
  CAREERS_RETURN_IF_ERROR(v.ToStatus());

  const absl::Time now = clock_.Now();
  const std::string digest =
      PageTokenCodec::QueryDigest({"ListOrganisations", req.filter()});
  CAREERS_ASSIGN_OR_RETURN(query.after,
                           DecodeCursor(req.page_token(), digest, now));
  CAREERS_ASSIGN_OR_RETURN(Page<v1::Organisation> page,
                           repository_.ListOrganisations(ctx, query));
  v1::ListOrganisationsResponse resp;
  for (v1::Organisation& o : page.items) {
    *resp.add_organisations() = std::move(o);
  }
  if (page.has_more && resp.organisations_size() > 0) {
    const v1::Organisation& last = *resp.organisations().rbegin();
    resp.set_next_page_token(
        EncodeCursor(digest, last.display_name(), last.name(), now));
  }
  return resp;
}

absl::StatusOr<v1::Organisation> Directory::UpdateOrganisation(
    const RequestContext& ctx, const v1::UpdateOrganisationRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(
      std::string id,
      names::ParseName("organisation.name", req.organisation().name(),
                       names::kOrganisations));
  // The mask on an empty organisation: checks it before any row is locked.
  v1::Organisation changes;
  CAREERS_RETURN_IF_ERROR(ApplyFieldMask(req.update_mask(), req.organisation(),
                                         changes, "update_mask"));
  const absl::Time now = clock_.Now();
  return repository_.UpdateOrganisation(
      ctx, id,
      [&](v1::Organisation& current,
          const ParentLookup& parents) -> absl::Status {
        CAREERS_RETURN_IF_ERROR(CheckEtag(current, req.organisation().etag()));
        const std::string old_parent = current.parent();
        CAREERS_RETURN_IF_ERROR(ApplyFieldMask(
            req.update_mask(), req.organisation(), current, "update_mask"));
        FieldViolations v;
        rules::NormalizeAndCheckOrganisation(current, "organisation", v);
        CAREERS_RETURN_IF_ERROR(v.ToStatus());
        if (current.parent() != old_parent) {
          CAREERS_RETURN_IF_ERROR(
              rules::CheckParent(id, LastSegment(current.parent()), parents,
                                 "organisation.parent", v));
          CAREERS_RETURN_IF_ERROR(v.ToStatus());
        }
        *current.mutable_update_time() = ToProtoTimestamp(now);
        return absl::OkStatus();
      });
}

// ---------------------------------------------------------------- advisers

absl::StatusOr<v1::Adviser> Directory::CreateAdviser(
    const RequestContext& ctx, const v1::CreateAdviserRequest& req) {
  if (!req.has_adviser()) return errors::InvalidField("adviser", "is required");
  FieldViolations v;
  v1::Adviser adviser = req.adviser();
  ClearOutputOnlyFields(adviser);
  rules::NormalizeAndCheckAdviser(adviser, "adviser", v);
  CheckClientChosenId("adviser_id", req.adviser_id(), v);
  const std::optional<IdempotencyKey> key =
      IdempotencyKeyFor("CreateAdviser", ctx, req, v);
  CAREERS_RETURN_IF_ERROR(v.ToStatus());
  CAREERS_RETURN_IF_ERROR(CheckOrganisationExists(ctx, "adviser.organisation",
                                                  adviser.organisation()));

  const absl::Time now = clock_.Now();
  const std::string id =
      req.adviser_id().empty() ? NewResourceId(now) : req.adviser_id();
  adviser.set_name(names::Name(names::kAdvisers, id));
  *adviser.mutable_create_time() = ToProtoTimestamp(now);
  *adviser.mutable_update_time() = ToProtoTimestamp(now);
  return Visible(ctx, repository_.CreateAdviser(ctx, id, adviser, KeyPtr(key)));
}

absl::StatusOr<v1::Adviser> Directory::GetAdviser(
    const RequestContext& ctx, const v1::GetAdviserRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(
      std::string id, names::ParseName("name", req.name(), names::kAdvisers));
  return Visible(ctx, repository_.GetAdviser(ctx, id));
}

absl::StatusOr<v1::ListAdvisersResponse> Directory::ListAdvisers(
    const RequestContext& ctx, const v1::ListAdvisersRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(
      const int page_size,
      ResolvePageSize(req.page_size(), kDefaultPageSize, kMaxPageSize));
  CAREERS_ASSIGN_OR_RETURN(
      std::vector<FilterTerm> terms,
      ParseFilter(req.filter(), {"organisation", "active", "language_code"}));
  AdviserQuery query;
  query.limit = page_size;
  query.show_deleted = req.show_deleted();
  FieldViolations v;
  for (const FilterTerm& term : terms) {
    if (term.field == "organisation") {
      query.organisation_id = NameFilterValue(term, names::kOrganisations, v);
    } else if (term.field == "active") {
      const std::string value = absl::AsciiStrToLower(term.value);
      if (value == "true" || value == "false") {
        query.active = value == "true";
      } else {
        v.Add("filter", "active must be true or false");
      }
    } else {
      const std::string code = absl::AsciiStrToLower(term.value);
      if (code == "en" || code == "cy" || code == "gd") {
        query.language_code = code;
      } else {
        v.Add("filter", "language_code must be \"en\", \"cy\" or \"gd\"");
      }
    }
  }
  CAREERS_RETURN_IF_ERROR(v.ToStatus());

  const absl::Time now = clock_.Now();
  const std::string digest = PageTokenCodec::QueryDigest(
      {"ListAdvisers", req.filter(), req.show_deleted() ? "deleted" : ""});
  CAREERS_ASSIGN_OR_RETURN(query.after,
                           DecodeCursor(req.page_token(), digest, now));
  CAREERS_ASSIGN_OR_RETURN(Page<v1::Adviser> page,
                           repository_.ListAdvisers(ctx, query));
  v1::ListAdvisersResponse resp;
  for (v1::Adviser& a : page.items) {
    rules::RedactAdviser(ctx.principal, a);
    *resp.add_advisers() = std::move(a);
  }
  if (page.has_more && resp.advisers_size() > 0) {
    const v1::Adviser& last = *resp.advisers().rbegin();
    resp.set_next_page_token(
        EncodeCursor(digest, last.display_name(), last.name(), now));
  }
  return resp;
}

absl::StatusOr<v1::Adviser> Directory::UpdateAdviser(
    const RequestContext& ctx, const v1::UpdateAdviserRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(
      std::string id,
      names::ParseName("adviser.name", req.adviser().name(), names::kAdvisers));
  v1::Adviser changes;
  CAREERS_RETURN_IF_ERROR(
      ApplyFieldMask(req.update_mask(), req.adviser(), changes, "update_mask"));
  const absl::Time now = clock_.Now();
  return Visible(
      ctx,
      repository_.UpdateAdviser(
          ctx, id, [&](v1::Adviser& current) -> absl::Status {
            CAREERS_RETURN_IF_ERROR(CheckEtag(current, req.adviser().etag()));
            if (current.has_delete_time()) {
              return errors::FailedPrecondition(
                  "DELETED", current.name(),
                  "is deleted; undelete it before changing it");
            }
            CAREERS_RETURN_IF_ERROR(CheckUnchanged("adviser.organisation",
                                                   req.adviser().organisation(),
                                                   current.organisation()));
            CAREERS_RETURN_IF_ERROR(ApplyFieldMask(
                req.update_mask(), req.adviser(), current, "update_mask"));
            FieldViolations v;
            rules::NormalizeAndCheckAdviser(current, "adviser", v);
            CAREERS_RETURN_IF_ERROR(v.ToStatus());
            *current.mutable_update_time() = ToProtoTimestamp(now);
            return absl::OkStatus();
          }));
}

absl::StatusOr<v1::Adviser> Directory::DeleteAdviser(
    const RequestContext& ctx, const v1::DeleteAdviserRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(
      std::string id, names::ParseName("name", req.name(), names::kAdvisers));
  const absl::Time now = clock_.Now();
  return Visible(ctx,
                 repository_.UpdateAdviser(
                     ctx, id, [&](v1::Adviser& current) -> absl::Status {
                       CAREERS_RETURN_IF_ERROR(CheckEtag(current, req.etag()));
                       if (current.has_delete_time()) {
                         return AlreadyDeleted(current.name());
                       }
                       *current.mutable_delete_time() = ToProtoTimestamp(now);
                       *current.mutable_update_time() = ToProtoTimestamp(now);
                       return absl::OkStatus();
                     }));
}

absl::StatusOr<v1::Adviser> Directory::UndeleteAdviser(
    const RequestContext& ctx, const v1::UndeleteAdviserRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(
      std::string id, names::ParseName("name", req.name(), names::kAdvisers));
  const absl::Time now = clock_.Now();
  return Visible(ctx,
                 repository_.UpdateAdviser(
                     ctx, id, [&](v1::Adviser& current) -> absl::Status {
                       CAREERS_RETURN_IF_ERROR(CheckEtag(current, req.etag()));
                       if (!current.has_delete_time()) {
                         return absl::AlreadyExistsError(
                             absl::StrCat(current.name(), " is not deleted"));
                       }
                       current.clear_delete_time();
                       *current.mutable_update_time() = ToProtoTimestamp(now);
                       return absl::OkStatus();
                     }));
}

// --------------------------------------------------------------- locations

absl::StatusOr<v1::Location> Directory::CreateLocation(
    const RequestContext& ctx, const v1::CreateLocationRequest& req) {
  if (!req.has_location()) {
    return errors::InvalidField("location", "is required");
  }
  FieldViolations v;
  v1::Location location = req.location();
  ClearOutputOnlyFields(location);
  rules::NormalizeAndCheckLocation(location, "location", v);
  CheckClientChosenId("location_id", req.location_id(), v);
  const std::optional<IdempotencyKey> key =
      IdempotencyKeyFor("CreateLocation", ctx, req, v);
  CAREERS_RETURN_IF_ERROR(v.ToStatus());
  CAREERS_RETURN_IF_ERROR(CheckOrganisationExists(ctx, "location.organisation",
                                                  location.organisation()));

  const absl::Time now = clock_.Now();
  const std::string id =
      req.location_id().empty() ? NewResourceId(now) : req.location_id();
  location.set_name(names::Name(names::kLocations, id));
  *location.mutable_create_time() = ToProtoTimestamp(now);
  *location.mutable_update_time() = ToProtoTimestamp(now);
  return repository_.CreateLocation(ctx, id, location, KeyPtr(key));
}

absl::StatusOr<v1::Location> Directory::GetLocation(
    const RequestContext& ctx, const v1::GetLocationRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(
      std::string id, names::ParseName("name", req.name(), names::kLocations));
  return repository_.GetLocation(ctx, id);
}

absl::StatusOr<v1::ListLocationsResponse> Directory::ListLocations(
    const RequestContext& ctx, const v1::ListLocationsRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(
      const int page_size,
      ResolvePageSize(req.page_size(), kDefaultPageSize, kMaxPageSize));
  CAREERS_ASSIGN_OR_RETURN(std::vector<FilterTerm> terms,
                           ParseFilter(req.filter(), {"organisation", "kind"}));
  LocationQuery query;
  query.limit = page_size;
  FieldViolations v;
  for (const FilterTerm& term : terms) {
    if (term.field == "organisation") {
      query.organisation_id = NameFilterValue(term, names::kOrganisations, v);
    } else if (auto value =
                   EnumFilterValue(term, v1::Location::Kind_descriptor(), v)) {
      query.kind = static_cast<v1::Location::Kind>(*value);
    }
  }
  CAREERS_RETURN_IF_ERROR(v.ToStatus());

  const absl::Time now = clock_.Now();
  const std::string digest =
      PageTokenCodec::QueryDigest({"ListLocations", req.filter()});
  CAREERS_ASSIGN_OR_RETURN(query.after,
                           DecodeCursor(req.page_token(), digest, now));
  CAREERS_ASSIGN_OR_RETURN(Page<v1::Location> page,
                           repository_.ListLocations(ctx, query));
  v1::ListLocationsResponse resp;
  for (v1::Location& l : page.items) *resp.add_locations() = std::move(l);
  if (page.has_more && resp.locations_size() > 0) {
    const v1::Location& last = *resp.locations().rbegin();
    resp.set_next_page_token(
        EncodeCursor(digest, last.display_name(), last.name(), now));
  }
  return resp;
}

absl::StatusOr<v1::Location> Directory::UpdateLocation(
    const RequestContext& ctx, const v1::UpdateLocationRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(
      std::string id, names::ParseName("location.name", req.location().name(),
                                       names::kLocations));
  v1::Location changes;
  CAREERS_RETURN_IF_ERROR(ApplyFieldMask(req.update_mask(), req.location(),
                                         changes, "update_mask"));
  const absl::Time now = clock_.Now();
  return repository_.UpdateLocation(
      ctx, id, [&](v1::Location& current) -> absl::Status {
        CAREERS_RETURN_IF_ERROR(CheckEtag(current, req.location().etag()));
        CAREERS_RETURN_IF_ERROR(CheckUnchanged("location.organisation",
                                               req.location().organisation(),
                                               current.organisation()));
        CAREERS_RETURN_IF_ERROR(ApplyFieldMask(
            req.update_mask(), req.location(), current, "update_mask"));
        FieldViolations v;
        rules::NormalizeAndCheckLocation(current, "location", v);
        CAREERS_RETURN_IF_ERROR(v.ToStatus());
        *current.mutable_update_time() = ToProtoTimestamp(now);
        return absl::OkStatus();
      });
}

}  // namespace careers::domain
