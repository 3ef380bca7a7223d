import { useQuery } from '@apollo/client/react';
import { Alert, Button, Card } from 'antd';
import { Link, useNavigate } from 'react-router';
import { graphql } from '../../gql';
import { ADMIN_PAGES } from './admin-pages';

const OVERVIEW = graphql(`
  query AdminOverview($nextYear: Int!) {
    users(first: 1) {
      totalCount
    }
    disabled: users(first: 1, filter: { disabled: true }) {
      totalCount
    }
    orgUnits {
      id
    }
    nextCalendar: workCalendar(year: $nextYear) {
      year
      provisional
    }
  }
`);

export default function AdminHome() {
  const nextYear = new Date().getFullYear() + 1;
  const navigate = useNavigate();
  const { data } = useQuery(OVERVIEW, { variables: { nextYear }, fetchPolicy: 'cache-and-network' });
  const figures: Partial<Record<string, string>> | undefined = data && {
    '/system/users': `${data.users.totalCount.toLocaleString('zh-CN')} 个账号，其中停用 ${data.disabled.totalCount} 个`,
    '/system/units': `${data.orgUnits.length} 个在用机构`,
    '/system/calendar': data.nextCalendar.provisional ? `${nextYear} 年为暂定安排` : `${nextYear} 年已导入`,
  };

  return (
    <section>
      <h1 className="page-title">系统管理</h1>
      {data?.nextCalendar.provisional && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={`${nextYear} 年的放假安排尚未导入：工作日按法定规则暂定，没有调休。国务院办公厅公布后请及时导入。`}
          action={
            <Button size="small" onClick={() => void navigate('/system/calendar')}>
              去导入
            </Button>
          }
        />
      )}
      <div className="admin-cards">
        {ADMIN_PAGES.map((page) => (
          <Link key={page.path} to={page.path} className="admin-card-link">
            <Card size="small" title={page.title} hoverable>
              <p>{page.text}</p>
              {figures?.[page.path] && <p className="admin-figure">{figures[page.path]}</p>}
            </Card>
          </Link>
        ))}
      </div>
    </section>
  );
}
