import { AgentsSettings } from './AgentsSettings';
import { ChannelsSettings } from './ChannelsSettings';
import { PauseTypesSettings } from './PauseTypesSettings';
import { ReasonsSettings } from './ReasonsSettings';
import { TeamsSettings } from './TeamsSettings';
import { TemplatesSettings } from './TemplatesSettings';
import './settings.css';

/** The configuration lists, one section each (route /admin/settings/:section). */
export const SETTINGS_SECTIONS = ['teams', 'channels', 'agents', 'pause-types', 'reasons', 'templates'] as const;
export type SettingsSection = (typeof SETTINGS_SECTIONS)[number];

/**
 * The administrators' configuration: each section lists its records, creates
 * them (Novo …) and changes them (Editar), through the API's configuration
 * resources (docs/api.md, "Configuration").
 */
export function Settings({ section }: { section: SettingsSection }) {
  switch (section) {
    case 'teams':
      return <TeamsSettings key={section} />;
    case 'channels':
      return <ChannelsSettings key={section} />;
    case 'agents':
      return <AgentsSettings key={section} />;
    case 'pause-types':
      return <PauseTypesSettings key={section} />;
    case 'reasons':
      return <ReasonsSettings key={section} />;
    case 'templates':
      return <TemplatesSettings key={section} />;
  }
}
