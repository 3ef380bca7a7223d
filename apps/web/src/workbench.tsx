import { App } from 'antd';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { AppLayout } from './layout';

dayjs.locale('zh-cn');

/**
 * Everything behind sign-in, loaded once signed in: the layout inside antd's App (messages, confirmations) and
 * the Chinese dates of the pickers. The sign-in page needs none of it, so none of it is sent before it.
 */
export default function Workbench() {
  return (
    <App>
      <AppLayout />
    </App>
  );
}
