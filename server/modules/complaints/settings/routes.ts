import type { AppInstance } from '../../../app.js';
import { ComplaintSettingsPatch, ComplaintSettingsView, getComplaintSettings, updateComplaintSettings } from './updateSettings.js';

/** The module's tenant settings: the city's box for coordinates and the automatic closing delay. */
export function complaintSettingsRoutes(app: AppInstance): void {
  const tags = ['complaints'];
  const manage = { access: { permission: 'complaints.categories.manage' as const } };
  app.get(
    '/api/v1/admin/complaints/settings',
    { config: manage, schema: { tags, summary: 'The city’s box for report coordinates and the days after which unconfirmed resolutions close', response: { 200: ComplaintSettingsView } } },
    async (req) => getComplaintSettings(req.ctx()),
  );
  app.patch(
    '/api/v1/admin/complaints/settings',
    { config: manage, schema: { tags, summary: 'Change the box for report coordinates or the automatic closing delay (audited)', body: ComplaintSettingsPatch, response: { 200: ComplaintSettingsView } } },
    async (req) => updateComplaintSettings(req.ctx(), req.body),
  );
}
