import { issueKeyFor, Role } from '@alliance/api';
import type { TestApi } from './api.js';

export interface TestKeys {
  admin: string;
  tdhViewer: string;
  tdhEditor: string;
  tdhCaseWorker: string;
  tdhSupervisor: string;
  planViewer: string;
  ecpatAdmin: string;
}

/** One key per role the tests need, created the way the bootstrap command creates them. */
export async function createTestKeys(t: TestApi): Promise<TestKeys> {
  const make = async (organisationCode: string, role: Role, name: string) => {
    const created = await issueKeyFor(t.api.orm.em.fork(), { organisationCode, role, name });
    if (!created) throw new Error(`no organisation ${organisationCode}`);
    return created.token;
  };
  return {
    admin: await make('tdh-nl', Role.ALLIANCE_ADMIN, 'Test admin'),
    tdhViewer: await make('tdh-nl', Role.VIEWER, 'Test TdH viewer'),
    tdhEditor: await make('tdh-nl', Role.PARTNER_EDITOR, 'Test TdH editor'),
    tdhCaseWorker: await make('tdh-nl', Role.CASE_WORKER, 'Test TdH case worker'),
    tdhSupervisor: await make('tdh-nl', Role.CASE_SUPERVISOR, 'Test TdH case supervisor'),
    planViewer: await make('plan-nl', Role.VIEWER, 'Test Plan viewer'),
    ecpatAdmin: await make('dci-ecpat-nl', Role.PARTNER_ADMIN, 'Test ECPAT admin'),
  };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
