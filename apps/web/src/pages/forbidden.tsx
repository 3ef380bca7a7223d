import { Button, Result } from 'antd';
import { useNavigate } from 'react-router';

/** Shown when the API answers FORBIDDEN: the user is signed in but may not see or do this. */
export function ForbiddenPage({ message }: { message?: string }) {
  const navigate = useNavigate();
  return (
    <Result
      status="403"
      title={<h1 className="page-title">无权访问</h1>}
      subTitle={message ?? '您没有查看或办理此事项的权限；如有疑问请联系本单位负责人。'}
      extra={
        <Button type="primary" onClick={() => void navigate('/')}>
          返回首页
        </Button>
      }
    />
  );
}
