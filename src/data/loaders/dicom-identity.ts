import type { ImageRecord } from '../types.js';
import { isDicomPath, readDicomHeader } from '../dicom/header.js';

/**
 * Patient and study of DICOM records from PatientID (0010,0020) and StudyInstanceUID (0020,000D), so that
 * patient splits keep a patient's images together. The identifiers themselves never leave this function: each
 * becomes a pseudonym numbered in sorted order ("dicom-patient-0001", ".../study-01"), which says nothing about
 * the identifier. A file without PatientID stays its own patient.
 */
export async function groupDicomByPatient(records: ImageRecord[]): Promise<ImageRecord[]> {
  const ids = new Map<number, { patient?: string; study?: string }>();
  await Promise.all(
    records.map(async (r, i) => {
      if (!(await isDicomPath(r.path))) return;
      try {
        const h = await readDicomHeader(r.path);
        ids.set(i, { patient: h.patientId, study: h.studyUid });
      } catch {
        // Unreadable: the loader's verification reports it once, by name.
      }
    }),
  );
  const patients = [...new Set([...ids.values()].map((v) => v.patient).filter((p): p is string => !!p))].sort();
  const patientName = new Map(patients.map((p, k) => [p, `dicom-patient-${String(k + 1).padStart(4, '0')}`]));
  const studiesOf = new Map<string, string[]>();
  for (const { patient, study } of ids.values()) {
    if (!patient || !study) continue;
    const list = studiesOf.get(patient) ?? [];
    if (!list.includes(study)) list.push(study);
    studiesOf.set(patient, list);
  }
  for (const list of studiesOf.values()) list.sort();
  return records.map((r, i) => {
    const id = ids.get(i);
    if (!id?.patient) return r;
    const patient = patientName.get(id.patient)!;
    const k = id.study ? studiesOf.get(id.patient)!.indexOf(id.study) + 1 : 0;
    return { ...r, patient, study: k > 0 ? `${patient}/study-${String(k).padStart(2, '0')}` : `${patient}/${r.id}` };
  });
}
