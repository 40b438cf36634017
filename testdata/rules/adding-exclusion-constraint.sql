-- config: [tables]
-- config: rooms = 12
ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap EXCLUDE USING gist (room_id WITH =, during WITH &&); -- want: adding-exclusion-constraint
ALTER TABLE rooms ADD CONSTRAINT rooms_no_overlap EXCLUDE USING gist (floor WITH =, span WITH &&); -- want: none
CREATE TABLE slots (id bigint, during tstzrange);
ALTER TABLE slots ADD CONSTRAINT slots_no_overlap EXCLUDE USING gist (during WITH &&); -- want: none
