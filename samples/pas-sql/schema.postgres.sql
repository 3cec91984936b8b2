-- The MediPAS sample as PAS tables (PostgreSQL). Created in the schema the loader names
-- (samples/pas-sql/load.ts sets it; the sample's queries read pas_sql). Every value is text, as
-- the PAS holds it: its DD/MM/YYYY dates and local codes, and the scenario's deliberate faults
-- (a DOB of 30/02/1970, a score of n/a) that typed columns could not hold. `id` keeps the
-- extract's row order; `recorded_on` is the day the record was last updated, what a month's
-- query selects on.

-- Finished consultant episodes, one row per episode.
CREATE TABLE episodes (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  recorded_on DATE NOT NULL,
  episode_no VARCHAR(20),
  spell_no VARCHAR(20),
  hospital_no VARCHAR(20),
  pat_surname VARCHAR(100),
  pat_forename VARCHAR(100),
  dob VARCHAR(10),
  sex VARCHAR(1),
  addr_line1 VARCHAR(100),
  addr_line2 VARCHAR(100),
  town VARCHAR(100),
  post_code VARCHAR(16),
  home_phone VARCHAR(20),
  mobile_phone VARCHAR(20),
  email VARCHAR(254),
  nok_name VARCHAR(100),
  nok_phone VARCHAR(20),
  nhs_no VARCHAR(12),
  nhs_status VARCHAR(2),
  ethnic VARCHAR(2),
  admin_cat VARCHAR(2),
  payer VARCHAR(8),
  insurer_code VARCHAR(20),
  card_number VARCHAR(24),
  gp_name VARCHAR(100),
  site VARCHAR(8),
  admit_date VARCHAR(10),
  admit_method VARCHAR(2),
  admit_source VARCHAR(2),
  pat_class VARCHAR(1),
  epi_start VARCHAR(10),
  epi_end VARCHAR(10),
  disch_date VARCHAR(10),
  disch_method VARCHAR(1),
  disch_dest VARCHAR(2),
  cons VARCHAR(10),
  specialty VARCHAR(3),
  diag1 VARCHAR(8),
  diag2 VARCHAR(8),
  diag3 VARCHAR(8),
  diag4 VARCHAR(8),
  diag5 VARCHAR(8),
  diag6 VARCHAR(8),
  diag7 VARCHAR(8),
  diag8 VARCHAR(8),
  diag9 VARCHAR(8),
  diag10 VARCHAR(8),
  diag11 VARCHAR(8),
  diag12 VARCHAR(8),
  diag13 VARCHAR(8),
  diag14 VARCHAR(8),
  diag15 VARCHAR(8),
  diag16 VARCHAR(8),
  diag17 VARCHAR(8),
  diag18 VARCHAR(8),
  diag19 VARCHAR(8),
  diag20 VARCHAR(8),
  proc1 VARCHAR(8),
  proc1_date VARCHAR(10),
  proc2 VARCHAR(8),
  proc3 VARCHAR(8),
  proc4 VARCHAR(8),
  proc5 VARCHAR(8),
  proc6 VARCHAR(8),
  proc_date2 VARCHAR(10),
  proc_date3 VARCHAR(10),
  proc_date4 VARCHAR(10),
  proc_date5 VARCHAR(10),
  proc_date6 VARCHAR(10),
  clinical_notes TEXT
);
CREATE INDEX episodes_recorded_on ON episodes (recorded_on);

-- PROM questionnaire responses.
CREATE TABLE proms (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  recorded_on DATE NOT NULL,
  response_ref VARCHAR(20),
  episode_no VARCHAR(20),
  hospital_no VARCHAR(20),
  patient_name VARCHAR(100),
  site VARCHAR(8),
  proc_group VARCHAR(8),
  questionnaire VARCHAR(10),
  phase VARCHAR(10),
  completed_on VARCHAR(10),
  score VARCHAR(8),
  eq5d_profile VARCHAR(8),
  comments TEXT
);
CREATE INDEX proms_recorded_on ON proms (recorded_on);

-- The incident log.
CREATE TABLE adverse_events (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  recorded_on DATE NOT NULL,
  incident_ref VARCHAR(20),
  episode_no VARCHAR(20),
  hospital_no VARCHAR(20),
  patient_name VARCHAR(100),
  site VARCHAR(8),
  incident_type VARCHAR(10),
  incident_date VARCHAR(10),
  unplanned VARCHAR(3),
  transfer_to VARCHAR(8),
  harm VARCHAR(1),
  incident_description TEXT,
  reported_by VARCHAR(100)
);
CREATE INDEX adverse_events_recorded_on ON adverse_events (recorded_on);
