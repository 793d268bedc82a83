#include "server/domain/method_access.h"

#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "careers/v1/booking_service.pb.h"
#include "careers/v1/change_service.pb.h"
#include "careers/v1/consent_service.pb.h"
#include "careers/v1/directory_service.pb.h"
#include "careers/v1/profile_service.pb.h"
#include "careers/v1/skills_service.pb.h"
#include "google/protobuf/descriptor.h"

namespace careers::domain {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

using MethodMap = absl::flat_hash_map<std::string, const v1::MethodAccess*>;

// "careers.v1.ProfileService/GetProfile" → its option, for every method of
// the API's services that declares one. A file's descriptors are in the
// generated pool only if the binary links its generated code, so one
// message of each service file is named here (a new service file is added
// here; the authorization matrix test fails until it is).
const MethodMap& Methods() {
  static const MethodMap* const methods = [] {
    const google::protobuf::FileDescriptor* const files[] = {
        v1::Profile::descriptor()->file(),
        v1::Organisation::descriptor()->file(),
        v1::Consent::descriptor()->file(),
        v1::Appointment::descriptor()->file(),
        v1::Experience::descriptor()->file(),
        v1::Change::descriptor()->file(),
    };
    auto* map = new MethodMap;
    for (const google::protobuf::FileDescriptor* file : files) {
      for (int s = 0; s < file->service_count(); ++s) {
        const google::protobuf::ServiceDescriptor* service = file->service(s);
        for (int m = 0; m < service->method_count(); ++m) {
          const google::protobuf::MethodDescriptor* method = service->method(m);
          if (!method->options().HasExtension(v1::access)) continue;
          map->emplace(absl::StrCat(service->full_name(), "/", method->name()),
                       &method->options().GetExtension(v1::access));
        }
      }
    }
    return map;
  }();
  return *methods;
}

// The string field `path` ("appointment_type.organisation") names in
// `message`, through singular message fields; "" if it names none.
std::string StringAt(const Message& message, absl::string_view path) {
  const Message* current = &message;
  const std::vector<absl::string_view> names = absl::StrSplit(path, '.');
  for (size_t i = 0; i < names.size(); ++i) {
    const FieldDescriptor* field =
        current->GetDescriptor()->FindFieldByName(std::string(names[i]));
    if (field == nullptr || field->is_repeated()) return "";
    if (i + 1 == names.size()) {
      if (field->type() != FieldDescriptor::TYPE_STRING) return "";
      return current->GetReflection()->GetString(*current, field);
    }
    if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) return "";
    current = &current->GetReflection()->GetMessage(*current, field);
  }
  return "";
}

}  // namespace

const v1::MethodAccess* MethodAccessOf(absl::string_view method) {
  const MethodMap& methods = Methods();
  const auto found = methods.find(method);
  return found == methods.end() ? nullptr : found->second;
}

std::string ResourceOf(const v1::MethodAccess& access,
                       const google::protobuf::Message& request) {
  if (access.resource().empty()) return "";
  for (absl::string_view path : absl::StrSplit(access.resource(), '|')) {
    std::string value = StringAt(request, path);
    if (!value.empty()) return value;
  }
  return "";
}

bool ReadsOnly(const v1::MethodAccess& access) {
  switch (access.rule()) {
    case v1::MethodAccess::PROFILE_LIST:
    case v1::MethodAccess::PROFILE_READ:
    case v1::MethodAccess::CONSENT_READ:
    case v1::MethodAccess::ACCESS_EVENTS_READ:
    case v1::MethodAccess::DIRECTORY_READ:
    case v1::MethodAccess::PUBLIC_READ:
    case v1::MethodAccess::CALENDAR_READ:
    case v1::MethodAccess::BOOKING_READ:
    case v1::MethodAccess::APPOINTMENT_LIST:
    case v1::MethodAccess::SKILLS_READ:
    case v1::MethodAccess::CHANGES_READ:
      return true;
    default:
      return false;
  }
}

}  // namespace careers::domain
