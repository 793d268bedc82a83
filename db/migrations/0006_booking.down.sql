DROP TABLE waitlist_entries;
DROP TABLE appointment_reminders;
DROP TABLE appointments;
DROP TABLE availability_rules;
DROP TABLE appointment_types;
