import {
  AlertOutlined,
  TrophyOutlined,
  ApartmentOutlined,
  AuditOutlined,
  BuildOutlined,
  CalendarOutlined,
  DashboardOutlined,
  EnvironmentOutlined,
  FormOutlined,
  FundOutlined,
  GlobalOutlined,
  ImportOutlined,
  LogoutOutlined,
  MenuOutlined,
  ProfileOutlined,
  SettingOutlined,
  TableOutlined,
  TeamOutlined,
  TranslationOutlined,
} from '@ant-design/icons';
import { App as AntApp, Button, Layout, Menu, Progress, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link, Outlet, useLocation, useNavigate, useNavigation } from 'react-router';
import { useLogout } from '../lib/api/auth.api.ts';
import { useSettings } from '../lib/api/settings.api.ts';
import { useCurrentSession } from '../lib/session.ts';
import { useIsPhone } from '../lib/use-is-phone.ts';
import { NotificationBell } from '../features/notifications/components/notification-bell.tsx';
import { describeError } from '../lib/errors.ts';
import { useI18n } from '../lib/i18n.ts';
import './app-layout.css';

const { Header, Sider, Content } = Layout;

export function AppLayout() {
  const session = useCurrentSession();
  const { t, locale, setLocale } = useI18n();
  const location = useLocation();
  const navigation = useNavigation();
  const navigate = useNavigate();
  const logout = useLogout();
  const { message } = AntApp.useApp();
  const [collapsed, setCollapsed] = useState(false);
  // On a phone the navigation folds away entirely (its trigger stays), leaving the width to the page.
  const phone = useIsPhone();
  // A page opened from the phone's menu closes the menu.
  const pathname = location.pathname;
  useEffect(() => {
    // Runs on every page change (pathname), not only when the screen size changes.
    if (phone && pathname) setCollapsed(true);
  }, [phone, pathname]);
  const isAdmin = session.user.role === 'admin';
  const settings = useSettings();
  // The installation's own name (settings), the product's generic words until it has loaded.
  const subtitle = settings.data?.name ?? t('app.subtitle');
  useEffect(() => {
    document.title = `${t('app.name')} · ${subtitle}`;
  }, [t, subtitle]);

  const isOwnWork = session.user.role === 'lead' || session.user.role === 'unit';
  const items = [
    { key: 'dashboard', icon: <DashboardOutlined aria-hidden />, label: <Link to="/dashboard">{t('nav.dashboard')}</Link> },
    {
      key: 'ledger',
      icon: <TableOutlined aria-hidden />,
      label: <Link to={isOwnWork ? '/ledger?mine=1' : '/ledger'}>{t('nav.ledger')}</Link>,
    },
    ...(isOwnWork ? [{ key: 'reports', icon: <FormOutlined aria-hidden />, label: <Link to="/reports">{t('nav.reports')}</Link> }] : []),
    ...(isAdmin || session.user.role === 'lead'
      ? [{ key: 'reviews', icon: <AuditOutlined aria-hidden />, label: <Link to="/reviews">{t('nav.reviews')}</Link> }]
      : []),
    { key: 'supervision', icon: <AlertOutlined aria-hidden />, label: <Link to="/supervision">{t('nav.supervision')}</Link> },
    { key: 'projects', icon: <BuildOutlined aria-hidden />, label: <Link to="/projects">{t('nav.projects')}</Link> },
    ...(isAdmin
      ? [
          {
            key: 'projects/review',
            icon: <AuditOutlined aria-hidden />,
            label: <Link to="/projects/review">{t('nav.projectReview')}</Link>,
          },
        ]
      : []),
    { key: 'projects/plans', icon: <CalendarOutlined aria-hidden />, label: <Link to="/projects/plans">{t('nav.projectPlans')}</Link> },
    { key: 'projects/funding', icon: <FundOutlined aria-hidden />, label: <Link to="/projects/funding">{t('nav.fundingBalance')}</Link> },
    { key: 'assessments', icon: <TrophyOutlined aria-hidden />, label: <Link to="/assessments">{t('nav.assessment')}</Link> },
    ...(isAdmin ? [{ key: 'periods', icon: <CalendarOutlined aria-hidden />, label: <Link to="/periods">{t('nav.periods')}</Link> }] : []),
    ...(isAdmin || session.user.role === 'leader'
      ? [{ key: 'coverage', icon: <EnvironmentOutlined aria-hidden />, label: <Link to="/coverage">{t('nav.coverage')}</Link> }]
      : []),
    { key: 'plans', icon: <ProfileOutlined aria-hidden />, label: <Link to="/plans">{t('nav.plans')}</Link> },
    { key: 'organisations', icon: <ApartmentOutlined aria-hidden />, label: <Link to="/organisations">{t('nav.organisations')}</Link> },
    ...(isAdmin
      ? [{ key: 'imports', icon: <ImportOutlined aria-hidden />, label: <Link to="/imports/new">{t('nav.imports')}</Link> }]
      : []),
    ...(isAdmin
      ? [{ key: 'publications', icon: <GlobalOutlined aria-hidden />, label: <Link to="/publications">{t('nav.publications')}</Link> }]
      : []),
    ...(isAdmin ? [{ key: 'accounts', icon: <TeamOutlined aria-hidden />, label: <Link to="/accounts">{t('nav.accounts')}</Link> }] : []),
    ...(isAdmin
      ? [{ key: 'settings', icon: <SettingOutlined aria-hidden />, label: <Link to="/settings">{t('nav.settings')}</Link> }]
      : []),
  ];
  // A task page belongs to the ledger it was opened from.
  const section = location.pathname.split('/')[1] || 'dashboard';
  const projectPage = location.pathname.split('/')[2];
  const selected =
    section === 'tasks'
      ? 'ledger'
      : section === 'bulletins'
        ? 'assessments'
        : section === 'projects' && (projectPage === 'review' || projectPage === 'funding' || projectPage === 'plans')
          ? `projects/${projectPage}`
          : section;
  const otherLocale = locale === 'zh-CN' ? 'en' : 'zh-CN';

  const onLogout = () =>
    logout.mutate(undefined, {
      onSuccess: () => navigate('/login', { replace: true }),
      onError: (error) => {
        message.error(describeError(error, t));
        navigate('/login', { replace: true });
      },
    });

  return (
    <Layout className="app-shell">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <Sider
        breakpoint="lg"
        collapsedWidth={phone ? 0 : 64}
        collapsible
        collapsed={collapsed}
        onCollapse={setCollapsed}
        width={208}
        trigger={phone ? null : undefined}
        className={phone ? 'app-sider app-sider-phone' : 'app-sider'}
        aria-label={t('app.name')}
      >
        <Link to="/" className="app-brand" aria-label={`${t('app.name')} · ${subtitle}`}>
          <span className="app-brand-mark" aria-hidden>
            落
          </span>
          {!collapsed && (
            <span className="app-brand-text">
              <strong>{t('app.name')}</strong>
              <small title={subtitle}>{subtitle}</small>
            </span>
          )}
        </Link>
        <nav aria-label={t('nav.label')}>
          <Menu theme="dark" mode="inline" selectedKeys={[selected]} items={items} />
        </nav>
      </Sider>
      {phone && !collapsed && (
        // Tapping beside the open phone menu closes it (the menu covers the button that opened it).
        <div className="app-sider-backdrop" aria-hidden onClick={() => setCollapsed(true)} />
      )}
      <Layout>
        <Header className="app-header">
          {phone && (
            <Button
              className="app-header-menu"
              icon={<MenuOutlined aria-hidden />}
              aria-label={t('nav.label')}
              aria-expanded={!collapsed}
              onClick={() => setCollapsed((c) => !c)}
            />
          )}
          <div className="app-header-progress" aria-hidden>
            {navigation.state === 'loading' && <Progress percent={60} showInfo={false} size={{ height: 2 }} status="active" />}
          </div>
          <Space size="middle" className="app-header-user" aria-label={t('header.userMenu')}>
            <NotificationBell />
            <Typography.Text strong>{session.user.displayName}</Typography.Text>
            <Typography.Text type="secondary" className="app-header-org">
              {session.org.name}
            </Typography.Text>
            <Tag color="blue">{t(`role.${session.user.role}`)}</Tag>
            <Button
              icon={<TranslationOutlined aria-hidden />}
              onClick={() => setLocale(otherLocale)}
              aria-label={`${t('header.language')}: ${otherLocale === 'en' ? 'English' : '中文'}`}
              lang={otherLocale}
            >
              {otherLocale === 'en' ? 'English' : '中文'}
            </Button>
            <Button icon={<LogoutOutlined aria-hidden />} onClick={onLogout} loading={logout.isPending}>
              {t('header.logout')}
            </Button>
          </Space>
        </Header>
        {/* antd's Content is the page's <main>. */}
        <Content className="app-content" id="main" tabIndex={-1}>
          <Outlet />
        </Content>
      </Layout>
    </Layout>
  );
}
