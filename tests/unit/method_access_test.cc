// The `(careers.v1.access)` option as the server reads it: found per
// method, and the resource a request names by the option's field path.
// Every method of every API proto file is checked (CMake lists the files),
// so a typo in an option's path, or a method without the option, fails
// here.
#include "server/domain/method_access.h"

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "careers/v1/booking_service.pb.h"
#include "careers/v1/consent_service.pb.h"
#include "careers/v1/directory_service.pb.h"
#include "careers/v1/profile_service.pb.h"
#include "careers/v1/skills_service.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "gtest/gtest.h"
#include "tests/unit/api_methods.h"

namespace careers::domain {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::MethodDescriptor;

// Every method of every service in the API's proto files.
std::vector<const MethodDescriptor*> AllMethods() {
  return testing::ApiMethods(CAREERS_API_PROTO_FILES);
}

// "careers.v1.ProfileService/GetProfile".
std::string MethodName(const MethodDescriptor& method) {
  return absl::StrCat(method.service()->full_name(), "/", method.name());
}

std::vector<std::string> Alternatives(const v1::MethodAccess& access) {
  if (access.resource().empty()) return {};
  return absl::StrSplit(access.resource(), '|');
}

// Why `path` does not name a string field of `request` through singular
// message fields ("" if it does). The test's own walk, independent of the
// library's.
std::string PathError(const Descriptor& request, absl::string_view path) {
  const Descriptor* message = &request;
  const std::vector<std::string> names = absl::StrSplit(path, '.');
  for (size_t i = 0; i < names.size(); ++i) {
    const FieldDescriptor* field = message->FindFieldByName(names[i]);
    if (field == nullptr) {
      return absl::StrCat(message->full_name(), " has no field ", names[i]);
    }
    if (field->is_repeated()) {
      return absl::StrCat(field->full_name(), " is repeated");
    }
    if (i + 1 == names.size()) {
      if (field->type() != FieldDescriptor::TYPE_STRING) {
        return absl::StrCat(field->full_name(), " is not a string");
      }
      return "";
    }
    if (field->type() != FieldDescriptor::TYPE_MESSAGE) {
      return absl::StrCat(field->full_name(), " is not a message");
    }
    message = field->message_type();
  }
  return "empty path";
}

// Sets the string field at `path` (checked with PathError first).
void SetPath(Message& request, absl::string_view path,
             const std::string& value) {
  Message* message = &request;
  const std::vector<std::string> names = absl::StrSplit(path, '.');
  for (size_t i = 0; i + 1 < names.size(); ++i) {
    const FieldDescriptor* field =
        message->GetDescriptor()->FindFieldByName(names[i]);
    message = message->GetReflection()->MutableMessage(message, field);
  }
  message->GetReflection()->SetString(
      message, message->GetDescriptor()->FindFieldByName(names.back()), value);
}

// Sets every singular string field of `message`, and of its singular
// message fields `depth` levels down, to "<its path>" — so a resource read
// from the wrong field is told apart.
void FillStrings(Message& message, const std::string& prefix, int depth) {
  const Descriptor* descriptor = message.GetDescriptor();
  for (int f = 0; f < descriptor->field_count(); ++f) {
    const FieldDescriptor* field = descriptor->field(f);
    if (field->is_repeated()) continue;
    const std::string path = absl::StrCat(prefix, field->name());
    if (field->type() == FieldDescriptor::TYPE_STRING) {
      message.GetReflection()->SetString(&message, field,
                                         absl::StrCat("<", path, ">"));
    } else if (field->type() == FieldDescriptor::TYPE_MESSAGE && depth > 0) {
      FillStrings(*message.GetReflection()->MutableMessage(&message, field),
                  absl::StrCat(path, "."), depth - 1);
    }
  }
}

std::unique_ptr<Message> NewRequest(const MethodDescriptor& method) {
  return std::unique_ptr<Message>(
      google::protobuf::MessageFactory::generated_factory()
          ->GetPrototype(method.input_type())
          ->New());
}

TEST(MethodAccessOf, FindsEveryMethodsOption) {
  const std::vector<const MethodDescriptor*> methods = AllMethods();
  ASSERT_GE(methods.size(), 78u);
  for (const MethodDescriptor* method : methods) {
    const v1::MethodAccess* access = MethodAccessOf(MethodName(*method));
    ASSERT_NE(access, nullptr)
        << MethodName(*method)
        << " has no option (careers.v1.access) = {rule: ...}";
    // The very option in the descriptor, not a copy of another method's.
    EXPECT_EQ(access, &method->options().GetExtension(v1::access))
        << MethodName(*method);
    EXPECT_NE(access->rule(), v1::MethodAccess::RULE_UNSPECIFIED)
        << MethodName(*method);
  }
}

TEST(MethodAccessOf, ReadsTheDeclaredFields) {
  const v1::MethodAccess* get =
      MethodAccessOf("careers.v1.ProfileService/GetProfile");
  ASSERT_NE(get, nullptr);
  EXPECT_EQ(get->rule(), v1::MethodAccess::PROFILE_READ);
  EXPECT_EQ(get->resource(), "name");
  EXPECT_TRUE(get->person_data());
  EXPECT_EQ(get->summary(), "viewed your profile");

  const v1::MethodAccess* list =
      MethodAccessOf("careers.v1.BookingService/ListAppointments");
  ASSERT_NE(list, nullptr);
  EXPECT_EQ(list->rule(), v1::MethodAccess::APPOINTMENT_LIST);
  EXPECT_EQ(list->resource(), "profile|adviser|organisation");

  const v1::MethodAccess* org =
      MethodAccessOf("careers.v1.DirectoryService/GetOrganisation");
  ASSERT_NE(org, nullptr);
  EXPECT_EQ(org->rule(), v1::MethodAccess::DIRECTORY_READ);
  EXPECT_FALSE(org->person_data());
  EXPECT_EQ(org->summary(), "");
}

TEST(MethodAccessOf, UnknownMethodsHaveNone) {
  for (const char* method : {
           "careers.v1.ProfileService/DeleteEverything",
           "careers.v1.ProfileService/getprofile",  // exact, not by case
           "careers.v1.ProfileService.GetProfile",  // the full name is not it
           "ProfileService/GetProfile",
           "careers.v1.ProfileService/GetProfile/",
           "grpc.health.v1.Health/Check",
           "",
       }) {
    EXPECT_EQ(MethodAccessOf(method), nullptr) << method;
  }
}

TEST(ResourceOf, EveryPathNamesAStringFieldOfTheRequest) {
  int paths = 0;
  for (const MethodDescriptor* method : AllMethods()) {
    const v1::MethodAccess& access = method->options().GetExtension(v1::access);
    std::set<std::string> seen;
    for (const std::string& path : Alternatives(access)) {
      EXPECT_EQ(PathError(*method->input_type(), path), "")
          << MethodName(*method) << ": resource \"" << access.resource()
          << "\"";
      EXPECT_TRUE(seen.insert(path).second)
          << MethodName(*method) << ": " << path << " twice";
      ++paths;
    }
  }
  EXPECT_GE(paths, 60);
}

// Every method, every field set: the first alternative set names the
// resource, then the next once it is cleared, then nothing.
TEST(ResourceOf, TheFirstSetAlternativeNamesTheResource) {
  for (const MethodDescriptor* method : AllMethods()) {
    const v1::MethodAccess& access = method->options().GetExtension(v1::access);
    const std::vector<std::string> alternatives = Alternatives(access);
    bool valid = true;
    for (const std::string& path : alternatives) {
      valid = valid && PathError(*method->input_type(), path).empty();
    }
    if (!valid) continue;  // reported by the test above
    std::unique_ptr<Message> request = NewRequest(*method);
    FillStrings(*request, "", 3);
    for (const std::string& path : alternatives) {
      SetPath(*request, path, absl::StrCat("<", path, ">"));
    }
    for (const std::string& path : alternatives) {
      EXPECT_EQ(ResourceOf(access, *request), absl::StrCat("<", path, ">"))
          << MethodName(*method);
      SetPath(*request, path, "");
    }
    EXPECT_EQ(ResourceOf(access, *request), "")
        << MethodName(*method) << " names a resource with \""
        << access.resource() << "\" cleared";
  }
}

const v1::MethodAccess& AccessOf(absl::string_view method) {
  static const v1::MethodAccess* const none = new v1::MethodAccess;
  const v1::MethodAccess* access = MethodAccessOf(method);
  EXPECT_NE(access, nullptr) << method;
  return access == nullptr ? *none : *access;
}

// What the handlers in server/api/ passed to CallRunner::Run before the
// options said it, one method of each shape.
TEST(ResourceOf, NamesWhatTheHandlersPass) {
  // request->name()
  v1::GetProfileRequest get;
  get.set_name("profiles/p1");
  EXPECT_EQ(ResourceOf(AccessOf("careers.v1.ProfileService/GetProfile"), get),
            "profiles/p1");
  v1::CancelAppointmentRequest cancel;
  cancel.set_name("appointments/ap1");
  EXPECT_EQ(ResourceOf(AccessOf("careers.v1.BookingService/CancelAppointment"),
                       cancel),
            "appointments/ap1");

  // request->parent()
  v1::ListGoalsRequest goals;
  goals.set_parent("profiles/p1");
  goals.set_page_token("token");
  EXPECT_EQ(ResourceOf(AccessOf("careers.v1.ProfileService/ListGoals"), goals),
            "profiles/p1");

  // request->profile().name(): an update names the resource it changes.
  v1::UpdateProfileRequest update;
  update.mutable_profile()->set_name("profiles/p1");
  update.mutable_profile()->set_home_organisation("organisations/o1");
  EXPECT_EQ(
      ResourceOf(AccessOf("careers.v1.ProfileService/UpdateProfile"), update),
      "profiles/p1");

  // request->appointment_type().organisation(): a catalogue create names
  // the organisation, not the new type's name.
  v1::CreateAppointmentTypeRequest type;
  type.mutable_appointment_type()->set_name("appointmentTypes/t1");
  type.mutable_appointment_type()->set_organisation("organisations/o1");
  EXPECT_EQ(ResourceOf(AccessOf("careers.v1.BookingService/"
                                "CreateAppointmentType"),
                       type),
            "organisations/o1");

  // request->appointment().profile(): a booking names the person.
  v1::CreateAppointmentRequest book;
  book.mutable_appointment()->set_profile("profiles/p1");
  book.mutable_appointment()->set_adviser("advisers/a1");
  EXPECT_EQ(
      ResourceOf(AccessOf("careers.v1.BookingService/CreateAppointment"), book),
      "profiles/p1");

  // request->appointment_type(), request->profile(): a plain field.
  v1::SearchAvailabilityRequest search;
  search.set_appointment_type("appointmentTypes/t1");
  search.set_adviser("advisers/a1");
  EXPECT_EQ(ResourceOf(AccessOf("careers.v1.BookingService/SearchAvailability"),
                       search),
            "appointmentTypes/t1");
  v1::GetSkillsSummaryRequest summary;
  summary.set_profile("profiles/p1");
  EXPECT_EQ(ResourceOf(AccessOf("careers.v1.SkillsService/GetSkillsSummary"),
                       summary),
            "profiles/p1");

  // FirstSet({request->profile(), request->adviser(),
  //           request->organisation()})
  const v1::MethodAccess& list =
      AccessOf("careers.v1.BookingService/ListAppointments");
  v1::ListAppointmentsRequest appointments;
  appointments.set_profile("profiles/p1");
  appointments.set_adviser("advisers/a1");
  appointments.set_organisation("organisations/o1");
  EXPECT_EQ(ResourceOf(list, appointments), "profiles/p1");
  appointments.clear_profile();
  EXPECT_EQ(ResourceOf(list, appointments), "advisers/a1");
  appointments.clear_adviser();
  EXPECT_EQ(ResourceOf(list, appointments), "organisations/o1");
  appointments.clear_organisation();
  appointments.set_filter("state = BOOKED");
  EXPECT_EQ(ResourceOf(list, appointments), "");

  // FirstSet({request->profile(), request->adviser()}): a waitlist's
  // appointment type is not an alternative.
  const v1::MethodAccess& waitlist =
      AccessOf("careers.v1.BookingService/ListWaitlistEntries");
  v1::ListWaitlistEntriesRequest entries;
  entries.set_adviser("advisers/a1");
  entries.set_appointment_type("appointmentTypes/t1");
  EXPECT_EQ(ResourceOf(waitlist, entries), "advisers/a1");
  entries.set_profile("profiles/p1");
  EXPECT_EQ(ResourceOf(waitlist, entries), "profiles/p1");
  entries.clear_profile();
  entries.clear_adviser();
  EXPECT_EQ(ResourceOf(waitlist, entries), "");

  // "": lists of everything, and a profile create.
  v1::ListProfilesRequest profiles;
  profiles.set_filter("life_stage = SCHOOL");
  EXPECT_EQ(
      ResourceOf(AccessOf("careers.v1.ProfileService/ListProfiles"), profiles),
      "");
  v1::CreateProfileRequest create;
  create.mutable_profile()->set_name("profiles/p1");
  create.mutable_profile()->set_home_organisation("organisations/o1");
  create.set_profile_id("p1");
  EXPECT_EQ(
      ResourceOf(AccessOf("careers.v1.ProfileService/CreateProfile"), create),
      "");
  v1::ListAdvisersRequest advisers;
  advisers.set_filter("organisation = \"organisations/o1\"");
  EXPECT_EQ(ResourceOf(AccessOf("careers.v1.DirectoryService/ListAdvisers"),
                       advisers),
            "");
}

TEST(ResourceOf, APathThatNamesNoStringFieldIsNotSet) {
  v1::UpdateProfileRequest update;
  update.mutable_profile()->set_name("profiles/p1");
  update.mutable_update_mask()->add_paths("support_level");
  v1::MethodAccess access;
  for (const char* resource : {
           "",
           "nosuch",
           "profile",             // a message, not a string
           "profile.name.first",  // a string is not a message
           "update_mask.paths",   // repeated
           "profile.",            // an empty field name
           "|",
       }) {
    access.set_resource(resource);
    EXPECT_EQ(ResourceOf(access, update), "") << resource;
  }
  access.set_resource("nosuch|profile|profile.name");
  EXPECT_EQ(ResourceOf(access, update), "profiles/p1");
}

}  // namespace
}  // namespace careers::domain
