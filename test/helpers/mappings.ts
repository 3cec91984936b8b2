// Mapping documents shared by tests.

/** The smallest valid PROMs mapping of a CSV extract (columns Id, Ep, Mrn, Group, ...). */
export const minimalProms = {
  mapping_version: 1,
  dataset: "proms",
  source: { format: "csv" },
  fields: {
    site_code: { const: "NQX01" },
    response_id: { from: "Id" },
    episode_id: { from: "Ep" },
    patient_pseudonym: { from: "Mrn" },
    procedure_group: { from: "Group" },
    instrument: { from: "Instr" },
    stage: { from: "Stage" },
    completed_date: { from: "Done", date_format: "DD/MM/YYYY" },
    score: { from: "Score" },
  },
};
