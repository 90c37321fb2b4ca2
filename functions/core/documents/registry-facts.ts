import type { MunicipalitiesRow, RegionRow, SchoolsRow } from '../tab-types.generated.js';

/** Registry facts the documents name: the region, its municipalities and schools. */
export interface RegistryFacts {
  region: Partial<RegionRow>;
  municipalities: MunicipalitiesRow[];
  schools: SchoolsRow[];
}

/** The municipality's name from the registry, or its code when the registry lacks it. */
export function municipalityName(facts: Pick<RegistryFacts, 'municipalities'>, code: string): string {
  return facts.municipalities.find((m) => m.code === code)?.name ?? `код МО ${code}`;
}

/** A municipality's place in the registry's list (unknown codes last): documents list municipalities in that order. */
export function municipalityOrder(facts: Pick<RegistryFacts, 'municipalities'>): (code: string) => number {
  return (code) => {
    const index = facts.municipalities.findIndex((m) => m.code === code);
    return index === -1 ? Number.MAX_SAFE_INTEGER : index;
  };
}

/** A municipality's name as a heading; «—» for rows that name none. */
export function municipalityTitle(facts: Pick<RegistryFacts, 'municipalities'>, code: string): string {
  return code ? municipalityName(facts, code) : '—';
}
