// The tenant's wall clock, for pause types whose start depends on the time of day.

/** The e2e tenant's time zone (Tenant.create). */
export const TENANT_TIMEZONE = 'America/Sao_Paulo';

/** Minutes since midnight now, on the tenant's wall clock. */
export function minutesNowIn(timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date());
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return get('hour') * 60 + get('minute');
}

/** "HH:MM" two hours from now in that zone; past midnight it would be tomorrow's, so 23:59. */
export function laterTodayIn(timeZone: string): { at: string; now: number } {
  const now = minutesNowIn(timeZone);
  const later = Math.min(now + 120, 23 * 60 + 59);
  const hh = String(Math.floor(later / 60)).padStart(2, '0');
  const mm = String(later % 60).padStart(2, '0');
  return { at: `${hh}:${mm}`, now };
}
