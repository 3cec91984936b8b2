// The CarePoint layout (the XML sample system): UTF-8, nested patient details, attributes for
// admission and discharge, ISO dates (admissions with a time), repeated diagnosis and procedure
// elements, free text with entities. Local codes differ from MediPAS's.
import type { AdverseEvent, Episode, Prom } from "./model.ts";

const invert = (m: Record<string, string>) =>
  Object.fromEntries(Object.entries(m).map(([k, v]) => [v, k]));

/** local -> national maps, exactly as mappings/carepoint/*.json declare them. */
export const carepointCodes = {
  site: { H1: "NQX01", H2: "NQX02", H3: "NQX03" },
  gender: { male: "1", female: "2", unknown: "9", notstated: "X" },
  funding: { self: "SELF", insured: "INSURED", nhs: "NHS", other: "OTHER" },
  stage: { pre: "PRE", post: "POST" },
  unplanned: { true: "Y", false: "N" },
} as const;

const toLocal = {
  site: invert(carepointCodes.site),
  gender: invert(carepointCodes.gender),
  funding: invert(carepointCodes.funding),
  stage: invert(carepointCodes.stage),
  unplanned: invert(carepointCodes.unplanned),
};
const local = (map: Record<string, string>, value: string) => map[value] ?? value;

const esc = (s: string) =>
  s
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
const el = (name: string, value: string) =>
  value === "" ? "" : `<${name}>${esc(value)}</${name}>`;
const attr = (name: string, value: string) => (value === "" ? "" : ` ${name}="${esc(value)}"`);
const spaced = (nhs: string) =>
  /^\d{10}$/.test(nhs) ? `${nhs.slice(0, 3)} ${nhs.slice(3, 6)} ${nhs.slice(6)}` : nhs;

export const carepointHeader = (list: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<!-- CarePoint export: synthetic sample data -->\n<CarePointExport version="4.2">\n  <${list}>\n`;
export const carepointFooter = (list: string) => `  </${list}>\n</CarePointExport>\n`;

const isIsoDay = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value);
const two = (n: number) => String(n).padStart(2, "0");

/**
 * `index` varies the layout a little, as real exports do: NHS numbers with spaces, admission
 * and discharge stamps with a time (and sometimes an offset); the date is taken as written.
 */
export function carepointEpisode(e: Episode, index: number): string {
  const p = e.person;
  const admission =
    isIsoDay(e.admission) && index % 2 === 0
      ? `${e.admission}T${two(7 + (index % 5))}:${two(10 + (index % 50))}:00`
      : e.admission;
  const discharge =
    isIsoDay(e.discharge) && index % 4 === 1
      ? `${e.discharge}T${two(12 + (index % 7))}:30:00+01:00`
      : e.discharge;
  const nhs = index % 3 === 0 ? spaced(e.nhsNumber) : e.nhsNumber;
  return `    <Episode id="${esc(e.episodeId)}" spell="${esc(e.spellId)}">
      <Site>${esc(local(toLocal.site, e.site))}</Site>
      <Patient>
        <LocalId>${esc(p.mrn)}</LocalId>
        <Name><Family>${esc(p.surname)}</Family><Given>${esc(p.forename)}</Given></Name>
        <Address><Line>${esc(p.addr1)}</Line><Line>${esc(p.addr2)}</Line><Town>${esc(p.town)}</Town><PostCode>${esc(e.postcode)}</PostCode></Address>
        <Contact><Phone>${esc(p.phone)}</Phone><Mobile>${esc(p.mobile)}</Mobile><Email>${esc(p.email)}</Email></Contact>
        <NextOfKin><Name>${esc(p.nokName)}</Name><Phone>${esc(p.nokPhone)}</Phone></NextOfKin>
        <NHSNo status="${esc(e.nhsStatus)}">${esc(nhs)}</NHSNo>
        ${el("DOB", e.dob)}
        <Gender>${esc(local(toLocal.gender, e.sex))}</Gender>
        <Ethnicity>${esc(e.ethnic)}</Ethnicity>
        <GP>${esc(p.gp)}</GP>
      </Patient>
      <Funding category="${esc(e.adminCategory)}" source="${esc(local(toLocal.funding, e.funding))}"${attr("insurer", e.insurer)}/>
      <Payment><CardNumber>${esc(p.card)}</CardNumber></Payment>
      <Admission date="${esc(admission)}" method="${esc(e.admissionMethod)}" source="${esc(e.admissionSource)}" classification="${esc(e.classification)}"/>
      <EpisodeDates start="${esc(e.episodeStart)}" end="${esc(e.episodeEnd)}"/>
      <Discharge date="${esc(discharge)}" method="${esc(e.dischargeMethod)}" destination="${esc(e.dischargeDestination)}"/>
      <Consultant gmc="${esc(e.consultant)}"/>
      <Specialty>${esc(e.specialty)}</Specialty>
      <Diagnoses><Primary>${esc(e.diagnosis)}</Primary>${e.secondaryDiagnoses.map((d) => `<Secondary>${esc(d)}</Secondary>`).join("")}</Diagnoses>
      <Procedures>${e.procedure === "" && e.procedureDate === "" ? "" : `<Primary>${el("Code", e.procedure)}${el("Date", e.procedureDate)}</Primary>`}<Secondary>${e.secondaryProcedures.map((s) => `<Procedure>${el("Code", s.code)}${el("Date", s.date)}</Procedure>`).join("")}</Secondary></Procedures>
      <Notes>${esc(p.notes)}</Notes>
    </Episode>
`;
}

/** Some questionnaires are stamped with the time they were returned. */
const stamped = (date: string, id: string) =>
  isIsoDay(date) && id.endsWith("3") ? `${date}T14:05:00Z` : date;

export function carepointProm(r: Prom): string {
  return `    <Response id="${esc(r.responseId)}" episode="${esc(r.episodeId)}">
      <PatientId>${esc(r.person.mrn)}</PatientId><PatientName>${esc(`${r.person.forename} ${r.person.surname}`)}</PatientName>
      <Site>${esc(local(toLocal.site, r.site))}</Site><Group>${esc(r.group)}</Group><Tool>${esc(r.instrument)}</Tool>
      <Stage>${esc(local(toLocal.stage, r.stage))}</Stage>${el("Completed", stamped(r.completed, r.responseId))}${el("Score", r.score)}${el("Profile", r.profile)}
      ${el("FreeText", r.comment)}
    </Response>
`;
}

export function carepointEvent(a: AdverseEvent, reporter: string): string {
  return `    <Incident id="${esc(a.eventId)}" episode="${esc(a.episodeId)}">
      <PatientId>${esc(a.person.mrn)}</PatientId><Site>${esc(local(toLocal.site, a.site))}</Site>
      <Type>${esc(a.type)}</Type>${el("Date", a.date)}${el("Unplanned", local(toLocal.unplanned, a.unplanned))}${el("TransferTo", a.transferTo)}${el("Harm", a.harm)}
      <Description>${esc(a.description)}</Description><Reporter>${esc(reporter)}</Reporter>
    </Incident>
`;
}
