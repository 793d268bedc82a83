#ifndef CAREERS_TESTS_UNIT_API_METHODS_H_
#define CAREERS_TESTS_UNIT_API_METHODS_H_

#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "careers/v1/booking_service.pb.h"
#include "careers/v1/change_service.pb.h"
#include "careers/v1/consent_service.pb.h"
#include "careers/v1/directory_service.pb.h"
#include "careers/v1/profile_service.pb.h"
#include "careers/v1/skills_service.pb.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"

namespace careers::testing {

// Every method of every service in the API's proto files: `files` is the
// comma-separated list CMake passes as CAREERS_API_PROTO_FILES. A file is in
// the binary only if something refers to it: one message per file is named
// here, and a new file fails the test that asks until it is added.
inline std::vector<const google::protobuf::MethodDescriptor*> ApiMethods(
    const char* files) {
  const google::protobuf::Descriptor* linked[] = {
      v1::Appointment::descriptor(), v1::Consent::descriptor(),
      v1::Organisation::descriptor(), v1::Profile::descriptor(),
      v1::Experience::descriptor(), v1::Change::descriptor()};
  (void)linked;
  std::vector<const google::protobuf::MethodDescriptor*> methods;
  for (absl::string_view file : absl::StrSplit(files, ',')) {
    const auto* fd =
        google::protobuf::DescriptorPool::generated_pool()->FindFileByName(
            std::string(file));
    EXPECT_NE(fd, nullptr) << file << " is not linked into the test";
    if (fd == nullptr) continue;
    for (int s = 0; s < fd->service_count(); ++s) {
      for (int m = 0; m < fd->service(s)->method_count(); ++m) {
        methods.push_back(fd->service(s)->method(m));
      }
    }
  }
  return methods;
}

}  // namespace careers::testing

#endif  // CAREERS_TESTS_UNIT_API_METHODS_H_
