// Whether the signed-in person may change things in a project: GET /api/v1/projects lists the
// caller's projects with every role their role includes (auth off: admin everywhere). Edit
// controls are only shown to writers; the server still checks every write (403 otherwise).

import { get } from '../api/client';
import type { ProjectsAnswer } from '../api/types';

let projects: Promise<ProjectsAnswer> | null = null;

export async function canWrite(project: string): Promise<boolean> {
  return hasRole(project, 'writer');
}

/** Admins purge from the trash. */
export async function canAdmin(project: string): Promise<boolean> {
  return hasRole(project, 'admin');
}

async function hasRole(project: string, role: string): Promise<boolean> {
  projects ??= get<ProjectsAnswer>('/projects');
  try {
    const answer = await projects;
    return answer.items.some((p) => p.name === project && p.roles.includes(role));
  } catch {
    projects = null;
    return false;
  }
}
