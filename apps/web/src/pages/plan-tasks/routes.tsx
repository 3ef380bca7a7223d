import { Result } from 'antd';

/** Placeholder until this folder's pages land. */
export default function Routes() {
  return <Result status="info" title="本页面即将上线" />;
}
