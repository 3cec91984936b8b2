// Code-set tables of schema v1, listed in docs/datasets.md. Data only: the schemas and
// rules read these, so a v2 can change a set without touching the pipeline.

/** A code set written as one line, its codes separated by spaces. */
const codes = (list: string): readonly string[] => list.split(" ");

export const nhsNumberStatus = ["01", "02", "03", "04", "05", "06", "07", "08"] as const;
export const sex = ["1", "2", "9", "X"] as const;
export const ethnicCategory = codes("A B C D E F G H J K L M N P R S Z 99");
export const administrativeCategory = ["01", "02", "03", "04"] as const;
export const fundingSource = ["SELF", "INSURED", "NHS", "OTHER"] as const;
/** 28 was retired from the NHS code list and is rejected. */
export const admissionMethod = codes("11 12 13 21 22 23 24 25 2A 2B 2C 2D 31 32 81 82 83");
export const sourceOfAdmission = codes("19 29 37 40 42 49 51 52 53 54 65 66 79 85 87 88 98 99");
export const patientClassification = ["1", "2", "3", "4", "5"] as const;
/** 6 and 7 are not valid in admitted patient care; 4 = died. */
export const dischargeMethod = ["1", "2", "3", "4", "5", "8", "9"] as const;
/** 79 = patient died. */
export const dischargeDestination = codes(
  "19 29 30 37 40 42 48 49 50 51 52 53 55 56 66 79 84 87 88 89 98 99",
);

export const DISCHARGE_METHOD_DIED = "4";
export const DISCHARGE_DESTINATION_DIED = "79";
/** Destinations that are a transfer to another hospital provider (adverse event cross-check). */
export const transferDestinations = ["49", "50", "51", "52", "53", "87"] as const;
export const ADMIN_CATEGORY_NHS = "01";
export const FUNDING_NHS = "NHS";
export const DAY_CASE = "2";

export const procedureGroup = [
  "HIP_REPLACEMENT",
  "KNEE_REPLACEMENT",
  "CATARACT",
  "TURP",
  "SEPTOPLASTY",
  "ABDOMINOPLASTY",
  "BREAST_AUGMENTATION",
  "BREAST_REDUCTION",
  "BLEPHAROPLASTY",
  "FACELIFT",
  "LIPOSUCTION",
  "RHINOPLASTY",
] as const;
export type ProcedureGroup = (typeof procedureGroup)[number];
/** The Q-PROMs groups. */
export const cosmeticGroups: readonly ProcedureGroup[] = [
  "ABDOMINOPLASTY",
  "BREAST_AUGMENTATION",
  "BREAST_REDUCTION",
  "BLEPHAROPLASTY",
  "FACELIFT",
  "LIPOSUCTION",
  "RHINOPLASTY",
];
const nonCosmetic = procedureGroup.filter((g) => !cosmeticGroups.includes(g));

export const instrument = [
  "OHS",
  "OKS",
  "EQ5D5L",
  "EQVAS",
  "IPSS",
  "NOSE",
  "CATPROM5",
  "FACEQ",
  "BREASTQ",
  "BODYQ",
] as const;
export type Instrument = (typeof instrument)[number];

export interface InstrumentRule {
  /** Score range; null = the instrument has no score (EQ5D5L: profile only). */
  readonly score: { readonly min: number; readonly max: number; readonly integer: boolean } | null;
  readonly groups: readonly ProcedureGroup[];
}

export const instruments: Readonly<Record<Instrument, InstrumentRule>> = {
  OHS: { score: { min: 0, max: 48, integer: true }, groups: ["HIP_REPLACEMENT"] },
  OKS: { score: { min: 0, max: 48, integer: true }, groups: ["KNEE_REPLACEMENT"] },
  EQ5D5L: { score: null, groups: nonCosmetic },
  EQVAS: { score: { min: 0, max: 100, integer: true }, groups: nonCosmetic },
  IPSS: { score: { min: 0, max: 35, integer: true }, groups: ["TURP"] },
  NOSE: { score: { min: 0, max: 100, integer: false }, groups: ["SEPTOPLASTY"] },
  CATPROM5: { score: { min: -9, max: 9, integer: false }, groups: ["CATARACT"] },
  FACEQ: {
    score: { min: 0, max: 100, integer: false },
    groups: ["FACELIFT", "BLEPHAROPLASTY", "RHINOPLASTY"],
  },
  BREASTQ: {
    score: { min: 0, max: 100, integer: false },
    groups: ["BREAST_AUGMENTATION", "BREAST_REDUCTION"],
  },
  BODYQ: { score: { min: 0, max: 100, integer: false }, groups: ["ABDOMINOPLASTY", "LIPOSUCTION"] },
};

export const promStage = ["PRE", "POST"] as const;

export const eventType = codes(
  "RETURN_TO_THEATRE TRANSFER_OUT READMISSION SURGICAL_SITE_INFECTION FACILITY_INFECTION VTE DEATH",
);
export const yesNo = ["Y", "N"] as const;
export const harmLevel = ["1", "2", "3", "4", "5"] as const;
/** A readmission counts within this many days after discharge. */
export const READMISSION_WINDOW_DAYS = 30;
