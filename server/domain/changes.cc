#include "server/domain/changes.h"

#include <algorithm>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "google/api/resource.pb.h"
#include "google/protobuf/reflection.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/message_differencer.h"
#include "server/common/proto_time.h"
#include "server/domain/consent_repository.h"
#include "server/domain/errors.h"
#include "server/domain/resource_names.h"

namespace careers::domain {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// A string field of `m` by name ("" if it has none).
std::string StringField(const Message& m, absl::string_view name) {
  const FieldDescriptor* f =
      m.GetDescriptor()->FindFieldByName(std::string(name));
  if (f == nullptr || f->is_repeated() ||
      f->cpp_type() != FieldDescriptor::CPPTYPE_STRING) {
    return "";
  }
  return m.GetReflection()->GetString(m, f);
}

// The note every kind shares: name, type, and whose data it is (the
// profile the name is under, or the one its `profile` field names).
ChangeNote NoteOf(const Message& resource, v1::Change::Kind kind) {
  ChangeNote note;
  note.resource = StringField(resource, "name");
  note.resource_type = ResourceTypeOf(*resource.GetDescriptor());
  note.kind = kind;
  note.profile_id = names::ProfileIdOf(note.resource);
  if (note.profile_id.empty()) {
    note.profile_id = names::ProfileIdOf(StringField(resource, "profile"));
  }
  if (const std::string adviser = StringField(resource, "adviser");
      !adviser.empty() && !note.profile_id.empty()) {
    const size_t slash = adviser.rfind('/');
    note.adviser_id =
        slash == std::string::npos ? adviser : adviser.substr(slash + 1);
  }
  return note;
}

bool FieldEqual(const Message& a, const Message& b, const FieldDescriptor* f) {
  const Reflection* ra = a.GetReflection();
  const Reflection* rb = b.GetReflection();
  if (f->is_repeated()) {
    const int n = ra->FieldSize(a, f);
    if (n != rb->FieldSize(b, f)) return false;
    for (int i = 0; i < n; ++i) {
      switch (f->cpp_type()) {
        case FieldDescriptor::CPPTYPE_MESSAGE:
          if (!google::protobuf::util::MessageDifferencer::Equals(
                  ra->GetRepeatedMessage(a, f, i),
                  rb->GetRepeatedMessage(b, f, i)))
            return false;
          break;
        case FieldDescriptor::CPPTYPE_STRING:
          if (ra->GetRepeatedString(a, f, i) != rb->GetRepeatedString(b, f, i))
            return false;
          break;
        case FieldDescriptor::CPPTYPE_ENUM:
          if (ra->GetRepeatedEnumValue(a, f, i) !=
              rb->GetRepeatedEnumValue(b, f, i))
            return false;
          break;
        default: {
          // Scalars: compare through the text of the field alone.
          std::string ta, tb;
          google::protobuf::TextFormat::PrintFieldValueToString(a, f, i, &ta);
          google::protobuf::TextFormat::PrintFieldValueToString(b, f, i, &tb);
          if (ta != tb) return false;
        }
      }
    }
    return true;
  }
  if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
    const bool ha = ra->HasField(a, f), hb = rb->HasField(b, f);
    if (ha != hb) return false;
    return !ha || google::protobuf::util::MessageDifferencer::Equals(
                      ra->GetMessage(a, f), rb->GetMessage(b, f));
  }
  std::string ta, tb;
  google::protobuf::TextFormat::PrintFieldValueToString(a, f, -1, &ta);
  google::protobuf::TextFormat::PrintFieldValueToString(b, f, -1, &tb);
  return ta == tb && ra->HasField(a, f) == rb->HasField(b, f);
}

// The types the feed carries: the careers.v1 resources a write changes.
// Access events are not among them: they record reads and writes, and are
// listed on the person's access record.
constexpr absl::string_view kFeedTypes[] = {
    "Profile",          "Goal",         "Action",
    "Consent",          "GuardianLink", "Organisation",
    "Adviser",          "Location",     "AppointmentType",
    "AvailabilityRule", "Appointment",  "WaitlistEntry",
    "Experience",       "Attestation",  "Skill",
};
constexpr absl::string_view kTypePrefix = "careers.uk/";

absl::string_view ShortType(absl::string_view type) {
  absl::ConsumePrefix(&type, kTypePrefix);
  return type;
}

// The scope that lets a service see changes of a person's data of `type`.
absl::string_view ScopeFor(absl::string_view type) {
  const absl::string_view t = ShortType(type);
  if (t == "Appointment" || t == "WaitlistEntry") return "appointments.read";
  if (t == "Experience" || t == "Attestation") return "skills.read";
  return "profiles.read";
}

constexpr absl::string_view kTokenPrefix = "ct1_";

}  // namespace

std::string ResourceTypeOf(const Descriptor& descriptor) {
  const auto& options = descriptor.options();
  if (!options.HasExtension(google::api::resource)) return "";
  return options.GetExtension(google::api::resource).type();
}

std::vector<std::string> ChangedFieldPaths(const Message& before,
                                           const Message& after) {
  std::vector<std::string> paths;
  const Descriptor* d = after.GetDescriptor();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (!FieldEqual(before, after, f)) paths.push_back(f->name());
  }
  std::sort(paths.begin(), paths.end(),
            [d](const std::string& a, const std::string& b) {
              return d->FindFieldByName(a)->number() <
                     d->FindFieldByName(b)->number();
            });
  return paths;
}

ChangeNote CreatedChange(const Message& resource) {
  return NoteOf(resource, v1::Change::CREATED);
}

ChangeNote UpdatedChange(const Message& before, const Message& after) {
  ChangeNote note = NoteOf(after, v1::Change::UPDATED);
  for (std::string& path : ChangedFieldPaths(before, after)) {
    if (path == "etag" || path == "update_time") continue;
    note.field_paths.push_back(std::move(path));
  }
  if (std::find(note.field_paths.begin(), note.field_paths.end(), "state") !=
      note.field_paths.end()) {
    note.kind = v1::Change::STATE_CHANGED;
    const FieldDescriptor* state =
        after.GetDescriptor()->FindFieldByName("state");
    if (state->cpp_type() == FieldDescriptor::CPPTYPE_ENUM &&
        after.GetReflection()->GetEnum(after, state)->name() == "VOIDED") {
      note.kind = v1::Change::VOIDED;
    }
  }
  return note;
}

ChangeNote DeletedChange(const Message& resource, v1::Change::Kind kind) {
  return NoteOf(resource, kind);
}

bool MaySee(const auth::Principal& caller, const RecordedChange& change) {
  using auth::Role;
  if (caller.role == Role::kAdmin) return true;
  if (change.profile_id.empty()) return true;  // public data
  switch (caller.role) {
    case Role::kPerson:
      return caller.profile == names::Name(names::kProfiles, change.profile_id);
    case Role::kGuardian: {
      const absl::CivilDay day = absl::ToCivilDay(
          FromProtoTimestamp(change.change.commit_time()), absl::UTCTimeZone());
      for (const GuardianFact& g : change.guardians) {
        if (g.subject != caller.subject) continue;
        v1::GuardianLink link;
        link.set_state(v1::GuardianLink::ACTIVE);
        if (g.confirm_time) {
          *link.mutable_confirm_time() = ToProtoTimestamp(*g.confirm_time);
        }
        if (GuardianLinkInForce(link, g.birth_date, day)) return true;
      }
      return false;
    }
    case Role::kAdviser:
    case Role::kOrgAdmin: {
      // caller.organisation is "organisations/{organisation}".
      const size_t slash = caller.organisation.rfind('/');
      const std::string org_id = slash == std::string::npos
                                     ? caller.organisation
                                     : caller.organisation.substr(slash + 1);
      return !org_id.empty() &&
             std::find(change.organisations.begin(), change.organisations.end(),
                       org_id) != change.organisations.end();
    }
    case Role::kService:
      return caller.HasScope(ScopeFor(change.change.resource_type()));
    case Role::kAdmin:
      return true;
  }
  return false;
}

absl::StatusOr<std::vector<std::string>> ParseResourceTypes(
    absl::string_view field,
    const google::protobuf::RepeatedPtrField<std::string>& types) {
  std::vector<std::string> out;
  for (int i = 0; i < types.size(); ++i) {
    const absl::string_view t = ShortType(types[i]);
    if (std::find(std::begin(kFeedTypes), std::end(kFeedTypes), t) ==
        std::end(kFeedTypes)) {
      return errors::InvalidField(
          absl::StrCat(field, "[", i, "]"),
          absl::StrCat("\"", types[i],
                       "\" is not a resource type of the feed (e.g. "
                       "careers.uk/Appointment or Appointment)"));
    }
    out.push_back(absl::StrCat(kTypePrefix, t));
  }
  return out;
}

bool TypeWanted(const std::vector<std::string>& types, absl::string_view type) {
  return types.empty() ||
         std::find(types.begin(), types.end(), type) != types.end();
}

std::string EncodeChangeToken(int64_t sequence) {
  return absl::StrCat(kTokenPrefix,
                      absl::WebSafeBase64Escape(absl::StrCat(sequence)));
}

absl::StatusOr<int64_t> DecodeChangeToken(absl::string_view field,
                                          absl::string_view token) {
  std::string digits;
  int64_t sequence = 0;
  if (!absl::ConsumePrefix(&token, kTokenPrefix) ||
      !absl::WebSafeBase64Unescape(token, &digits) ||
      !absl::SimpleAtoi(digits, &sequence) || sequence < 0) {
    return errors::InvalidField(
        std::string(field),
        "is not a change token of this service (use a change_token or "
        "next_sync_token as given, or leave it empty)");
  }
  return sequence;
}

absl::Status CheckResumable(absl::string_view field, int64_t after,
                            const FeedBounds& bounds) {
  if (after < bounds.pruned_through || after > bounds.last_sequence) {
    return errors::FailedPrecondition(
        "RESYNC_REQUIRED", field,
        after < bounds.pruned_through
            ? "the changes after this token are no longer kept: fetch the "
              "resources again, then continue from a new token"
            : "this token is ahead of the feed (the data was restored from "
              "an older copy): fetch the resources again, then continue "
              "from a new token");
  }
  return absl::OkStatus();
}


}  // namespace careers::domain
