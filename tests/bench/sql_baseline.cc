#include "tests/bench/sql_baseline.h"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <random>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "server/common/clock.h"
#include "server/common/ids.h"
#include "server/common/proto_time.h"
#include "server/config.h"
#include "server/domain/errors.h"
#include "server/domain/standard_methods.h"
#include "server/store/access_log.h"
#include "server/store/booking_store.h"
#include "server/store/consent_store.h"
#include "server/store/database.h"
#include "server/store/db_url.h"
#include "server/store/directory_store.h"
#include "server/store/profile_store.h"
#include "tests/bench/bench_data.h"

namespace careers::bench {
namespace {

// Runs posted work on `threads` threads; joins them when destroyed.
class Workers {
 public:
  explicit Workers(int threads) {
    for (int i = 0; i < threads; ++i) {
      threads_.emplace_back([this] { Loop(); });
    }
  }
  ~Workers() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    ready_.notify_all();
    for (std::thread& t : threads_) t.join();
  }
  Workers(const Workers&) = delete;
  Workers& operator=(const Workers&) = delete;

  void Post(std::function<void()> work) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      queue_.push_back(std::move(work));
    }
    ready_.notify_one();
  }

 private:
  void Loop() {
    for (;;) {
      std::function<void()> work;
      {
        std::unique_lock<std::mutex> lock(mu_);
        ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;
        work = std::move(queue_.front());
        queue_.pop_front();
      }
      work();
    }
  }

  std::mutex mu_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> queue_;  // guarded by mu_
  bool stopping_ = false;                    // guarded by mu_
  std::vector<std::thread> threads_;
};

grpc::StatusCode CodeOf(const absl::Status& status) {
  return static_cast<grpc::StatusCode>(status.code());
}

uint64_t Random() {
  static std::atomic<uint64_t> streams{0};
  thread_local std::mt19937_64 engine(7919 * streams.fetch_add(1) + 17);
  return engine();
}

// The store objects a baseline calls, on a pool of its own.
struct Stores {
  std::unique_ptr<store::Database> db;
  std::unique_ptr<store::DirectoryStore> directory;
  std::unique_ptr<store::ConsentStore> consents;
  std::unique_ptr<store::ProfileStore> profiles;
  std::unique_ptr<store::BookingStore> booking;
  std::unique_ptr<store::BatchedAccessLog> access_log;
  std::unique_ptr<Workers> workers;  // last: joined first
};

absl::StatusOr<std::shared_ptr<Stores>> OpenStores(
    const ScenarioConfig& config) {
  absl::StatusOr<store::DbTarget> target = store::ParseDbUrl(config.db_url);
  if (!target.ok()) return target.status();
  store::DatabaseOptions options;
  options.target = *target;
  options.pool_size = DatabasePoolSize(config.concurrency);
  absl::StatusOr<std::unique_ptr<store::Database>> db =
      store::Database::Open(options);
  if (!db.ok()) return db.status();
  static const SystemClock* clock = new SystemClock;
  auto stores = std::make_shared<Stores>();
  stores->db = *std::move(db);
  stores->directory = std::make_unique<store::DirectoryStore>(*stores->db);
  stores->consents = std::make_unique<store::ConsentStore>(*stores->db, *clock);
  stores->profiles = std::make_unique<store::ProfileStore>(*stores->db);
  stores->booking = std::make_unique<store::BookingStore>(*stores->db);
  stores->access_log = std::make_unique<store::BatchedAccessLog>(*stores->db);
  stores->access_log->Start();
  stores->workers = std::make_unique<Workers>(config.concurrency);
  return stores;
}

// Runs `work` on a worker; its status's code finishes the call.
IssueFn OnWorkers(std::shared_ptr<Stores> stores,
                  std::function<absl::Status(Stores&)> work) {
  return [stores, work = std::move(work)](StatusCallback done) {
    // A plain pointer: the issuer owns the stores, and a worker must never
    // hold the last reference (it would join itself).
    Stores* raw = stores.get();
    raw->workers->Post(
        [raw, work, done = std::move(done)] { done(CodeOf(work(*raw))); });
  };
}

}  // namespace

absl::StatusOr<IssueFn> MakeSqlGetProfile(const ScenarioConfig& config) {
  absl::StatusOr<std::shared_ptr<Stores>> stores = OpenStores(config);
  if (!stores.ok()) return stores.status();
  const absl::Duration timeout = config.call_timeout;
  const int profiles = config.profiles;
  const int advisers = std::min(config.advisers, 64);
  return OnWorkers(*stores, [timeout, profiles, advisers](Stores& s) {
    RequestContext ctx;
    ctx.deadline = absl::Now() + timeout;
    const int adviser = 1 + static_cast<int>(Random() % advisers);
    ctx.principal.subject = data::AdviserSubject(adviser);
    ctx.principal.role = auth::Role::kAdviser;
    ctx.principal.organisation = data::OrganisationName();
    ctx.visibility = {ProfileVisibility::Kind::kSharedWith,
                      data::kOrganisationId};
    ctx.record_access = true;
    ctx.method = "careers.v1.ProfileService/GetProfile";
    ctx.request_id = absl::StrFormat("%016x", Random());
    const std::string id =
        data::ProfileId(1 + static_cast<int>(Random() % profiles));
    // The token check: the adviser's account.
    auto account =
        s.directory->FindAdviserBySubject(ctx, ctx.principal.subject);
    if (!account.ok()) return account.status();
    // The access policy: shared with the adviser's organisation?
    auto shared = s.consents->IsSharedWith(ctx, id, data::kOrganisationId);
    if (!shared.ok()) return shared.status();
    if (!*shared) return absl::PermissionDeniedError("not shared");
    auto profile = s.profiles->GetProfile(ctx, id);
    if (!profile.ok()) return profile.status();
    s.access_log->RecordRead(ctx, id, profile->name());
    return absl::OkStatus();
  });
}

absl::StatusOr<IssueFn> MakeSqlCreateAppointment(const ScenarioConfig& config) {
  absl::StatusOr<std::vector<BenchSlot>> slots =
      FindFreeSlots(config, config.slots, /*from_last_adviser=*/false);
  if (!slots.ok()) return slots.status();
  absl::StatusOr<std::shared_ptr<Stores>> stores = OpenStores(config);
  if (!stores.ok()) return stores.status();
  auto shared_slots =
      std::make_shared<const std::vector<BenchSlot>>(*std::move(slots));
  auto next = std::make_shared<std::atomic<size_t>>(0);
  const absl::Duration timeout = config.call_timeout;
  const int profiles = config.profiles;
  return OnWorkers(
      *stores,
      [shared_slots, next, timeout, profiles](Stores& s) -> absl::Status {
        const size_t j = next->fetch_add(1);
        if (j >= shared_slots->size()) {
          return absl::ResourceExhaustedError("out of free slots");
        }
        const BenchSlot& slot = (*shared_slots)[j];
        const int person =
            static_cast<int>(j % static_cast<size_t>(profiles)) + 1;
        RequestContext ctx;
        ctx.deadline = absl::Now() + timeout;
        ctx.principal.subject = data::PersonSubject(person);
        ctx.principal.role = auth::Role::kPerson;
        ctx.principal.profile =
            absl::StrCat("profiles/", data::ProfileId(person));
        ctx.visibility = {ProfileVisibility::Kind::kOwn,
                          data::ProfileId(person)};
        ctx.method = "careers.v1.BookingService/CreateAppointment";
        ctx.request_id = absl::StrFormat("%016x", Random());

        v1::CreateAppointmentRequest req;
        v1::Appointment& in = *req.mutable_appointment();
        in.set_profile(ctx.principal.profile);
        in.set_adviser(absl::StrCat("advisers/", slot.adviser_id));
        in.set_appointment_type(data::AppointmentTypeName());
        in.set_channel(v1::Adviser::IN_PERSON);
        *in.mutable_start_time() = ToProtoTimestamp(slot.start);
        thread_local std::mt19937_64 ids(std::random_device{}());
        req.set_request_id(absl::StrFormat("%016x%016x", ids(), ids()));
        errors::FieldViolations v;
        const std::optional<domain::IdempotencyKey> key =
            domain::IdempotencyKeyFor("CreateAppointment", ctx, req, v);

        auto type =
            s.booking->GetAppointmentType(ctx, data::kAppointmentTypeId);
        if (!type.ok()) return type.status();
        const absl::Time now = absl::Now();
        const absl::Time end =
            slot.start + absl::Minutes(type->duration_minutes());
        domain::BookingTarget target;
        target.profile_id = data::ProfileId(person);
        target.adviser_id = slot.adviser_id;
        target.appointment_type_id = data::kAppointmentTypeId;
        target.start = slot.start;
        target.end = end;
        target.now = now;
        // Books the slot as asked; the database's keys still refuse a taken
        // seat.
        auto decide = [&](const domain::BookingFacts&)
            -> absl::StatusOr<domain::BookingPlan> {
          domain::BookingPlan plan;
          v1::Appointment& a = plan.appointment;
          a = in;
          a.set_name(absl::StrCat("appointments/", NewResourceId(now)));
          // What the domain sets (its rules would find these in `facts`).
          a.set_location(absl::StrCat("locations/", data::kLocationId));
          a.set_time_zone(data::kTimeZone);
          a.mutable_booked_by()->set_subject(ctx.principal.subject);
          *a.mutable_end_time() = ToProtoTimestamp(end);
          a.set_state(v1::Appointment::BOOKED);
          a.set_seat(1);
          *a.mutable_create_time() = ToProtoTimestamp(now);
          plan.seats = 1;
          plan.block_start = slot.start;
          plan.block_end = end;
          plan.reminders = {{"24h", slot.start - absl::Hours(24)},
                            {"1h", slot.start - absl::Hours(1)}};
          return plan;
        };
        return s.booking->Book(ctx, target, key ? &*key : nullptr, decide)
            .status();
      });
}

}  // namespace careers::bench
