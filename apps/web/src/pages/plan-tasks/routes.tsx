import { Route, Routes } from 'react-router';
import NewTaskPage from './new-task';
import TaskListPage from './task-list';
import TaskPage from './task-page';

/** 任务 (/plan-tasks): a plan's task list, 新建任务, and a task's page with every share. */
export default function PlanTaskRoutes() {
  return (
    <Routes>
      <Route index element={<TaskListPage />} />
      <Route path="new" element={<NewTaskPage />} />
      <Route path=":id" element={<TaskPage />} />
    </Routes>
  );
}
