import { TargetProjectsPanel } from '../features/projects/components/target-projects-panel.tsx';
import { TaskPage } from '../features/tasks/components/task-page.tsx';

/**
 * /tasks/:taskId: the tasks feature's page with, under its targets, the projects feature's list of
 * the projects counting toward each target (what they contribute, what is still missing).
 */
export function TaskRoute() {
  return <TaskPage targetProjects={(targetId) => <TargetProjectsPanel targetId={targetId} />} />;
}
