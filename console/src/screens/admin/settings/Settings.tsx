import { t, type MessageKey } from '../../../i18n';

/** The configuration lists, one section each (route /admin/settings/:section). */
export const SETTINGS_SECTIONS = ['teams', 'channels', 'agents', 'pause-types', 'reasons', 'templates'] as const;
export type SettingsSection = (typeof SETTINGS_SECTIONS)[number];

export function Settings({ section }: { section: SettingsSection }) {
  return (
    <section class="admin-page" aria-labelledby="admin-page-title">
      <h1 id="admin-page-title">{t(`admin.settings.${section}` as MessageKey)}</h1>
    </section>
  );
}
