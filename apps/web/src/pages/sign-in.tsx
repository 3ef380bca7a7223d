import { useMutation } from '@apollo/client/react';
import { Button, Form, Input } from 'antd';
import { useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { useSession } from '../auth';
import { classifyError } from '../errors';
import { graphql } from '../gql';

const LOGIN = graphql(`
  mutation Login($username: String!, $password: String!) {
    login(username: $username, password: $password) {
      user {
        id
      }
    }
  }
`);

interface Fields {
  username: string;
  password: string;
}

/** Only paths inside the app: `from` comes from the address bar. */
function safeTarget(from: string | null): string {
  return from && from.startsWith('/') && !from.startsWith('//') ? from : '/';
}

export function SignInPage() {
  const [form] = Form.useForm<Fields>();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const { viewer, signedIn } = useSession();
  const [login, { loading }] = useMutation(LOGIN);
  const [formError, setFormError] = useState<string | null>(null);
  const target = safeTarget(params.get('from'));

  if (viewer) return <Navigate to={target} replace />;

  const submit = async (values: Fields) => {
    setFormError(null);
    try {
      // The API sets the session cookie; the token in the answer is not kept.
      await login({ variables: values });
      await signedIn();
      await navigate(target, { replace: true });
    } catch (error) {
      const mapped = classifyError(error);
      if (mapped.kind === 'field' && (mapped.field === 'username' || mapped.field === 'password')) {
        form.setFields([{ name: mapped.field, errors: [mapped.message] }]);
      } else if (mapped.kind === 'unauthenticated') {
        // Wrong name or password: said on the password field, where the user will act.
        form.setFields([{ name: 'password', errors: [mapped.message] }]);
      } else {
        setFormError(mapped.message);
      }
    }
  };

  return (
    <main className="signin">
      {/* Plain markup rather than Card and Typography: this page is what loads first, and loads only what it uses. */}
      <div className="signin-card">
        <h1>折子工程 · 登录</h1>
        <Form form={form} layout="vertical" onFinish={(values) => void submit(values)} requiredMark={false}>
          <Form.Item label="用户名" name="username" rules={[{ required: true, message: '请输入用户名' }]}>
            <Input autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item label="密码" name="password" rules={[{ required: true, message: '请输入密码' }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          {formError && (
            <p className="signin-error" role="alert">
              {formError}
            </p>
          )}
          <Button type="primary" htmlType="submit" block loading={loading}>
            登录
          </Button>
        </Form>
      </div>
    </main>
  );
}
