import { requestUpload } from '../domain/cases/attachments';
import { httpRoute } from './middleware';
import { route } from './routes/create-attachment';

export const handler = httpRoute(route, async (req) => {
  const a = await requestUpload(req.deps, req.caller, req.params.caseNumber, req.body);
  return { status: 201, body: a, headers: { location: `/cases/${a.caseNumber}/attachments/${a.attachmentId}` } };
});
