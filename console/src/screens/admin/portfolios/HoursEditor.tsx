import { useId } from 'preact/hooks';
import { WEEKDAYS, type Weekday } from '../../../api/portfolios';
import { t, type MessageKey } from '../../../i18n';
import { closedAllWeek, copyDay, WORKDAYS, type HoursModel, type HoursProblem, type Period } from './hours';

/** Time zones the browser knows, offered while typing (any IANA name may be typed). */
function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
  try {
    return intl.supportedValuesOf?.('timeZone') ?? [];
  } catch {
    return [];
  }
}

/**
 * Expediente: "sem horário" (always open), or a list of periods per
 * weekday (08:00–12:00 and 13:00–18:00: a lunch break), with an optional
 * time zone. Problems found by modelToHours are shown on their period.
 */
export function HoursEditor(props: { model: HoursModel; problems: readonly HoursProblem[]; onChange: (m: HoursModel) => void }) {
  const uid = useId();
  const { model } = props;
  const dayName = (d: Weekday) => t(`portfolios.day.${d}` as MessageKey);

  const setDay = (day: Weekday, periods: Period[]) => props.onChange({ ...model, days: { ...model.days, [day]: periods } });
  const setPeriod = (day: Weekday, i: number, change: Partial<Period>) =>
    setDay(
      day,
      model.days[day].map((p, j) => (j === i ? { ...p, ...change } : p)),
    );
  const add = (day: Weekday) => {
    const periods = model.days[day];
    const last = periods[periods.length - 1];
    setDay(day, [...periods, last ? { start: last.end === '24:00' ? '' : last.end, end: '' } : { start: '08:00', end: '18:00' }]);
  };
  const problemOf = (day: Weekday, i: number) => props.problems.find((p) => p.day === day && p.index === i);

  return (
    <fieldset class="hours-editor">
      <legend>{t('portfolios.hours.title')}</legend>
      <label class="radio">
        <input type="checkbox" checked={model.always} onChange={(e) => props.onChange({ ...model, always: (e.target as HTMLInputElement).checked })} />
        {t('portfolios.hours.none')}
      </label>
      {model.always ? (
        <p class="muted">{t('portfolios.hours.none_hint')}</p>
      ) : (
        <>
          <p class="muted">{t('portfolios.hours.hint')}</p>
          <div class="hours-week">
            {WEEKDAYS.map((day) => (
              <div class="hours-day" key={day} role="group" aria-labelledby={`${uid}-${day}`}>
                <span class="hours-day-name" id={`${uid}-${day}`}>
                  {dayName(day)}
                </span>
                <div class="hours-periods">
                  {model.days[day].length === 0 && <span class="muted hours-closed">{t('portfolios.hours.day_closed')}</span>}
                  {model.days[day].map((p, i) => {
                    const problem = problemOf(day, i);
                    const errId = `${uid}-${day}-${i}-err`;
                    const n = i + 1;
                    return (
                      <div class="hours-period" key={i}>
                        <input
                          class="time-input"
                          value={p.start}
                          placeholder="08:00"
                          maxLength={5}
                          aria-label={t('portfolios.hours.start', { n, day: dayName(day) })}
                          aria-invalid={problem ? 'true' : undefined}
                          aria-describedby={problem ? errId : undefined}
                          onInput={(e) => setPeriod(day, i, { start: (e.target as HTMLInputElement).value })}
                        />
                        <span aria-hidden="true">–</span>
                        <input
                          class="time-input"
                          value={p.end}
                          placeholder="18:00"
                          maxLength={5}
                          aria-label={t('portfolios.hours.end', { n, day: dayName(day) })}
                          aria-invalid={problem ? 'true' : undefined}
                          aria-describedby={problem ? errId : undefined}
                          onInput={(e) => setPeriod(day, i, { end: (e.target as HTMLInputElement).value })}
                        />
                        <button
                          type="button"
                          class="link-button"
                          aria-label={t('portfolios.hours.remove_named', { n, day: dayName(day) })}
                          onClick={() => setDay(day, model.days[day].filter((_, j) => j !== i))}
                        >
                          {t('portfolios.hours.remove')}
                        </button>
                        {problem && (
                          <span class="error hours-problem" id={errId}>
                            {t(`portfolios.hours.problem.${problem.problem}` as MessageKey)}
                          </span>
                        )}
                      </div>
                    );
                  })}
                  <button type="button" class="link-button hours-add" aria-label={t('portfolios.hours.add_named', { day: dayName(day) })} onClick={() => add(day)}>
                    {t('portfolios.hours.add')}
                  </button>
                </div>
              </div>
            ))}
          </div>
          <div class="hours-copy">
            <button type="button" onClick={() => props.onChange(copyDay(model, 'mon', WORKDAYS))}>
              {t('portfolios.hours.copy_workdays')}
            </button>
            <button type="button" onClick={() => props.onChange(copyDay(model, 'mon', WEEKDAYS))}>
              {t('portfolios.hours.copy_all')}
            </button>
          </div>
          {closedAllWeek(model) && <p class="notice">{t('portfolios.hours.closed_all_week')}</p>}
          <label class="field hours-timezone">
            <span>
              {t('portfolios.hours.timezone')} <span class="muted">{t('common.optional')}</span>
            </span>
            <input
              list={`${uid}-zones`}
              value={model.timezone}
              placeholder="America/Sao_Paulo"
              aria-describedby={`${uid}-zone-hint`}
              onInput={(e) => props.onChange({ ...model, timezone: (e.target as HTMLInputElement).value })}
            />
          </label>
          <p class="muted field-hint" id={`${uid}-zone-hint`}>
            {t('portfolios.hours.timezone_hint')}
          </p>
          <datalist id={`${uid}-zones`}>
            {timeZones().map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
        </>
      )}
    </fieldset>
  );
}
