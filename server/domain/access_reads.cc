#include "server/domain/access_reads.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/api/resource.pb.h"
#include "google/protobuf/descriptor.h"
#include "server/domain/resource_names.h"

namespace careers::domain {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

const google::api::ResourceDescriptor* ResourceOption(const Descriptor* type) {
  if (!type->options().HasExtension(google::api::resource)) return nullptr;
  return &type->options().GetExtension(google::api::resource);
}

std::string StringField(const Message& m, const char* name) {
  const FieldDescriptor* f = m.GetDescriptor()->FindFieldByName(name);
  if (f == nullptr || f->is_repeated() ||
      f->cpp_type() != FieldDescriptor::CPPTYPE_STRING) {
    return "";
  }
  return m.GetReflection()->GetString(m, f);
}

// "p" for "profiles/p" and names under it; "" otherwise (and for the
// "profiles/-" wildcard).
std::string PersonOfName(absl::string_view name) {
  const std::string id = names::ProfileIdOf(name);
  return id == "-" ? "" : id;
}

void Add(std::vector<PersonalRead>& out, std::string profile_id,
         std::string resource) {
  if (profile_id.empty() || resource.empty()) return;
  out.push_back({std::move(profile_id), std::move(resource)});
}

}  // namespace

std::string ProfileIdOfResource(const Message& resource) {
  std::string id = PersonOfName(StringField(resource, "name"));
  if (!id.empty()) return id;
  return PersonOfName(StringField(resource, "profile"));
}

std::vector<PersonalRead> ReadsIn(const Message& response,
                                  absl::string_view request_resource,
                                  const std::vector<PersonalRead>& noted) {
  std::vector<PersonalRead> reads;
  const Descriptor* type = response.GetDescriptor();
  if (ResourceOption(type) != nullptr) {
    Add(reads, ProfileIdOfResource(response), StringField(response, "name"));
  } else {
    const std::string person = PersonOfName(request_resource);
    // A list response (AIP-132) pages with next_page_token.
    const bool is_list = type->FindFieldByName("next_page_token") != nullptr;
    bool listed = false;
    for (int i = 0; is_list && i < type->field_count(); ++i) {
      const FieldDescriptor* field = type->field(i);
      if (!field->is_repeated() || field->message_type() == nullptr) continue;
      const google::api::ResourceDescriptor* item =
          ResourceOption(field->message_type());
      if (item == nullptr) continue;
      listed = true;
      if (!person.empty()) {
        // One person's collection: one entry for it.
        Add(reads, person,
            absl::StrCat(
                request_resource, "/",
                item->plural().empty() ? field->name() : item->plural()));
        continue;
      }
      const auto* reflection = response.GetReflection();
      for (int j = 0; j < reflection->FieldSize(response, field); ++j) {
        const Message& r = reflection->GetRepeatedMessage(response, field, j);
        Add(reads, ProfileIdOfResource(r), StringField(r, "name"));
      }
    }
    if (!listed) Add(reads, person, std::string(request_resource));
  }
  for (const PersonalRead& r : noted) Add(reads, r.profile_id, r.resource);
  return reads;
}

}  // namespace careers::domain
