import { ConnectorError } from '../errors.ts';
import { type AnprPerson, mapAnprPerson } from './map-person.ts';
import type { RispostaE002OK, TipoDatiSoggettiEnte } from './types.ts';

export type AnprNotificationKind = 'CAMBIO_RESIDENZA' | 'DECESSO' | 'NUOVO_COMPONENTE';

/** A C001 change notification: which change, when, and the subject as ANPR has it now. */
export type AnprNotification = {
  id: string;
  kind: AnprNotificationKind;
  eventDate: string;
  /** ANPR's progressive, when given: the order the changes were recorded in. */
  sequence: number | null;
  person: AnprPerson;
};

const info = (s: TipoDatiSoggettiEnte, key: string) =>
  s.infoSoggettoEnte?.find((i) => i.chiave === key);
const KINDS: readonly string[] = ['CAMBIO_RESIDENZA', 'DECESSO', 'NUOVO_COMPONENTE'];

export function notificationsOf(r: RispostaE002OK, retrievedAt: string): AnprNotification[] {
  const out = (r.listaSoggetti?.datiSoggetto ?? []).map((s) => {
    const id = info(s, 'idNotifica')?.valoreTesto;
    const kind = info(s, 'tipoNotifica')?.valoreTesto;
    const eventDate = info(s, 'dataEvento')?.valoreData;
    if (!id || !kind || !KINDS.includes(kind) || !eventDate) {
      throw new ConnectorError(
        'RESPONSE_INVALID',
        'ANPR C001: a notification without id, kind or date',
        {
          counterpart: 'anpr',
          field: 'infoSoggettoEnte',
        },
      );
    }
    const seq = info(s, 'progressivoNotifica')?.valoreTesto;
    return {
      id,
      kind: kind as AnprNotificationKind,
      eventDate,
      sequence: seq ? Number(seq) : null,
      person: mapAnprPerson(s, 'C001', {
        anprOperationId: r.idOperazioneANPR ?? null,
        retrievedAt,
      }),
    };
  });
  // Applied in the order they happened, whatever order they came in.
  return out.sort(
    (a, b) =>
      a.eventDate.localeCompare(b.eventDate) ||
      (a.sequence ?? 0) - (b.sequence ?? 0) ||
      a.id.localeCompare(b.id),
  );
}
