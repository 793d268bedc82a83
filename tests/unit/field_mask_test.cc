// AIP-134 updates through field masks.
#include "server/domain/field_mask.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_data.h"

namespace careers {
namespace {

using ::careers::testing::ValidProfile;
using ::careers::testing::ViolatedFields;
using ::testing::ElementsAre;

google::protobuf::FieldMask Mask(std::initializer_list<const char*> paths) {
  google::protobuf::FieldMask mask;
  for (const char* p : paths) mask.add_paths(p);
  return mask;
}

TEST(FieldMask, CopiesOnlyTheNamedFields) {
  v1::Profile target = ValidProfile();
  v1::Profile patch;
  patch.set_given_name("Isla");
  patch.set_family_name("ignored");
  ASSERT_TRUE(
      ApplyFieldMask(Mask({"given_name"}), patch, target, "update_mask").ok());
  EXPECT_EQ(target.given_name(), "Isla");
  EXPECT_EQ(target.family_name(), "MacDonald");
}

TEST(FieldMask, SubPathsAndClearing) {
  v1::Profile target = ValidProfile();
  v1::Profile patch;  // no contact at all
  ASSERT_TRUE(
      ApplyFieldMask(Mask({"contact.email"}), patch, target, "update_mask")
          .ok());
  EXPECT_EQ(target.contact().email(), "");
  EXPECT_EQ(target.contact().phone(), "07700 900123");
}

TEST(FieldMask, RepeatedFieldsAreReplacedNotAppended) {
  v1::Profile target = ValidProfile();
  target.add_career_interests("a");
  target.add_career_interests("b");
  v1::Profile patch;
  patch.add_career_interests("c");
  ASSERT_TRUE(
      ApplyFieldMask(Mask({"career_interests"}), patch, target, "update_mask")
          .ok());
  EXPECT_THAT(target.career_interests(), ElementsAre("c"));
}

TEST(FieldMask, EmptyMaskMeansEveryFieldSetInThePatch) {
  v1::Profile target = ValidProfile();
  v1::Profile patch;
  patch.set_name("profiles/x");  // output only: ignored, not an error
  patch.set_support_level(v1::Profile::INTENSIVE);
  ASSERT_TRUE(ApplyFieldMask(Mask({}), patch, target, "update_mask").ok());
  EXPECT_EQ(target.support_level(), v1::Profile::INTENSIVE);
  EXPECT_EQ(target.given_name(), "Eilidh");
  EXPECT_EQ(target.name(), "");
}

TEST(FieldMask, WildcardReplacesEveryUpdatableField) {
  v1::Profile target = ValidProfile();
  target.set_name("profiles/keep");
  target.set_etag("keep");
  v1::Profile patch;
  patch.set_given_name("Only");
  ASSERT_TRUE(ApplyFieldMask(Mask({"*"}), patch, target, "update_mask").ok());
  EXPECT_EQ(target.given_name(), "Only");
  EXPECT_EQ(target.family_name(), "");
  EXPECT_EQ(target.name(), "profiles/keep");
  EXPECT_EQ(target.etag(), "keep");
}

TEST(FieldMask, UnknownAndOutputOnlyPathsAreRejected) {
  v1::Profile target = ValidProfile();
  const v1::Profile before = target;
  v1::Profile patch;
  absl::Status unknown =
      ApplyFieldMask(Mask({"shoe_size"}), patch, target, "update_mask");
  EXPECT_EQ(unknown.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(unknown), ElementsAre("update_mask"));
  absl::Status output_only = ApplyFieldMask(Mask({"etag", "create_time"}),
                                            patch, target, "update_mask");
  EXPECT_EQ(output_only.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(output_only),
              ElementsAre("update_mask", "update_mask"));
  absl::Status mixed =
      ApplyFieldMask(Mask({"*", "given_name"}), patch, target, "update_mask");
  EXPECT_EQ(mixed.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(target.SerializeAsString(), before.SerializeAsString());
}

TEST(FieldMask, StateIsNotUpdatableOnGoals) {
  v1::Goal target;
  v1::Goal patch;
  patch.set_state(v1::Goal::ACHIEVED);
  EXPECT_EQ(
      ApplyFieldMask(Mask({"state"}), patch, target, "update_mask").code(),
      absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace careers
