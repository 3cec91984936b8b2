// The MediPAS layout (the CSV sample system): windows-1252, local column names and local codes,
// DD/MM/YYYY dates, consultants by local id. National values are translated to local ones; a
// value with no local form is written unchanged (that is how the deliberate errors get in).
import { type AdverseEvent, consultants, type Episode, type Prom } from "./model.ts";

const invert = (m: Record<string, string>) =>
  Object.fromEntries(Object.entries(m).map(([k, v]) => [v, k]));

/** local -> national maps, exactly as mappings/medipas/*.json declare them. */
export const medipasCodes = {
  site: { MAIN: "NQX01", DAYU: "NQX02" },
  sex: { M: "1", F: "2", U: "9" },
  payer: { S: "SELF", I: "INSURED", N: "NHS", O: "OTHER" },
  adminCategory: { "1": "01", "2": "02", "3": "03", "4": "04" },
  questionnaire: {
    OXHIP: "OHS",
    OXKNEE: "OKS",
    EQ5D: "EQ5D5L",
    EQVAS: "EQVAS",
    IPSS: "IPSS",
    NOSE: "NOSE",
    CAT5: "CATPROM5",
    FACEQ: "FACEQ",
    BREASTQ: "BREASTQ",
    BODYQ: "BODYQ",
  },
  procGroup: {
    HIP: "HIP_REPLACEMENT",
    KNEE: "KNEE_REPLACEMENT",
    CAT: "CATARACT",
    TURP: "TURP",
    SEPTO: "SEPTOPLASTY",
    ABDO: "ABDOMINOPLASTY",
    BAUG: "BREAST_AUGMENTATION",
    BRED: "BREAST_REDUCTION",
    BLEPH: "BLEPHAROPLASTY",
    FACE: "FACELIFT",
    LIPO: "LIPOSUCTION",
    RHINO: "RHINOPLASTY",
  },
  phase: { "Pre-op": "PRE", "Post-op": "POST" },
  incidentType: {
    RTT: "RETURN_TO_THEATRE",
    TRANSFER: "TRANSFER_OUT",
    READMIT: "READMISSION",
    SSI: "SURGICAL_SITE_INFECTION",
    HCAI: "FACILITY_INFECTION",
    VTE: "VTE",
    DEATH: "DEATH",
  },
  yesNo: { Yes: "Y", No: "N" },
} as const;

/** Local consultant ids -> codes, written to mappings/medipas/lookups/consultants.csv. */
export const medipasConsultants: Record<string, string> = {
  ...Object.fromEntries(
    consultants.map((gmc, i) => [`CONS${String(i + 1).padStart(2, "0")}`, `C${gmc}`]),
  ),
  DEFAULT: "C9999998",
};

const toLocal = {
  site: invert(medipasCodes.site),
  sex: invert(medipasCodes.sex),
  payer: invert(medipasCodes.payer),
  adminCategory: invert(medipasCodes.adminCategory),
  questionnaire: invert(medipasCodes.questionnaire),
  procGroup: invert(medipasCodes.procGroup),
  phase: invert(medipasCodes.phase),
  incidentType: invert(medipasCodes.incidentType),
  yesNo: invert(medipasCodes.yesNo),
  // Model consultants are bare GMC numbers (or a default code): back to the local ids.
  consultant: {
    ...Object.fromEntries(
      consultants.map((gmc, i) => [gmc, `CONS${String(i + 1).padStart(2, "0")}`]),
    ),
    C9999998: "DEFAULT",
  } as Record<string, string>,
};

const local = (map: Record<string, string>, value: string) => map[value] ?? value;
/** ISO -> DD/MM/YYYY by text; anything else (a deliberate error) as written. */
const ukDate = (iso: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso.slice(8)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}` : iso;

function csvLine(cells: readonly string[], delimiter: string): string {
  return `${cells.map((c) => (c.includes(delimiter) || c.includes('"') || c.includes("\n") ? `"${c.replaceAll('"', '""')}"` : c)).join(delimiter)}\r\n`;
}

const DIAGS = 19;
const PROCS = 5;

export const medipasEpisodeHeader = csvLine(
  [
    "EpisodeNo",
    "SpellNo",
    "HospitalNo",
    "PatSurname",
    "PatForename",
    "DOB",
    "Sex",
    "AddrLine1",
    "AddrLine2",
    "Town",
    "PostCode",
    "HomePhone",
    "MobilePhone",
    "Email",
    "NOKName",
    "NOKPhone",
    "NHSNo",
    "NHSStatus",
    "Ethnic",
    "AdminCat",
    "Payer",
    "InsurerCode",
    "CardNumber",
    "GPName",
    "Site",
    "AdmitDate",
    "AdmitMethod",
    "AdmitSource",
    "PatClass",
    "EpiStart",
    "EpiEnd",
    "DischDate",
    "DischMethod",
    "DischDest",
    "Cons",
    "Specialty",
    "Diag1",
    ...Array.from({ length: DIAGS }, (_, i) => `Diag${i + 2}`),
    "Proc1",
    "Proc1Date",
    ...Array.from({ length: PROCS }, (_, i) => `Proc${i + 2}`),
    ...Array.from({ length: PROCS }, (_, i) => `ProcDate${i + 2}`),
    "ClinicalNotes",
  ],
  ";",
);

export function medipasEpisodeLine(e: Episode): string {
  const p = e.person;
  return csvLine(
    [
      e.episodeId,
      e.spellId,
      p.mrn,
      p.surname,
      p.forename,
      ukDate(e.dob),
      local(toLocal.sex, e.sex),
      p.addr1,
      p.addr2,
      p.town,
      e.postcode,
      p.phone,
      p.mobile,
      p.email,
      p.nokName,
      p.nokPhone,
      e.nhsNumber,
      e.nhsStatus,
      e.ethnic,
      local(toLocal.adminCategory, e.adminCategory),
      local(toLocal.payer, e.funding),
      e.insurer,
      p.card,
      p.gp,
      local(toLocal.site, e.site),
      ukDate(e.admission),
      e.admissionMethod,
      e.admissionSource,
      e.classification,
      ukDate(e.episodeStart),
      ukDate(e.episodeEnd),
      ukDate(e.discharge),
      e.dischargeMethod,
      e.dischargeDestination,
      local(toLocal.consultant, e.consultant),
      e.specialty,
      e.diagnosis,
      ...Array.from({ length: DIAGS }, (_, i) => e.secondaryDiagnoses[i] ?? ""),
      e.procedure,
      ukDate(e.procedureDate),
      ...Array.from({ length: PROCS }, (_, i) => e.secondaryProcedures[i]?.code ?? ""),
      ...Array.from({ length: PROCS }, (_, i) => ukDate(e.secondaryProcedures[i]?.date ?? "")),
      p.notes,
    ],
    ";",
  );
}

export const medipasPromHeader = csvLine(
  [
    "ResponseRef",
    "EpisodeNo",
    "HospitalNo",
    "PatientName",
    "Site",
    "ProcGroup",
    "Questionnaire",
    "Phase",
    "CompletedOn",
    "Score",
    "EQ5DProfile",
    "Comments",
  ],
  ",",
);

export function medipasPromLine(r: Prom): string {
  return csvLine(
    [
      r.responseId,
      r.episodeId,
      r.person.mrn,
      `${r.person.forename} ${r.person.surname}`,
      local(toLocal.site, r.site),
      local(toLocal.procGroup, r.group),
      local(toLocal.questionnaire, r.instrument),
      local(toLocal.phase, r.stage),
      ukDate(r.completed),
      r.score,
      r.profile,
      r.comment,
    ],
    ",",
  );
}

export const medipasEventHeader = csvLine(
  [
    "IncidentRef",
    "EpisodeNo",
    "HospitalNo",
    "PatientName",
    "Site",
    "IncidentType",
    "IncidentDate",
    "Unplanned",
    "TransferTo",
    "Harm",
    "IncidentDescription",
    "ReportedBy",
  ],
  ",",
);

export function medipasEventLine(a: AdverseEvent, reporter: string): string {
  return csvLine(
    [
      a.eventId,
      a.episodeId,
      a.person.mrn,
      `${a.person.forename} ${a.person.surname}`,
      local(toLocal.site, a.site),
      local(toLocal.incidentType, a.type),
      ukDate(a.date),
      local(toLocal.yesNo, a.unplanned),
      a.transferTo,
      a.harm,
      a.description,
      reporter,
    ],
    ",",
  );
}
