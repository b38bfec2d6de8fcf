import { LockOutlined, TranslationOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, Typography } from 'antd';
import { useEffect } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { isApiError } from '../../../lib/api-client.ts';
import { describeError } from '../../../lib/errors.ts';
import { type Translate, useI18n } from '../../../lib/i18n.ts';
import { type LoginInput, useLogin, useSession } from '../../../lib/api/auth.api.ts';
import { usePublicSettings } from '../../../lib/api/settings.api.ts';
import './login-page.css';

/** The sentence for a failed sign-in: the three cases people meet, then whatever the server said. */
export function describeLoginError(error: unknown, t: Translate): string {
  if (isApiError(error)) {
    if (error.status === 401) return t('login.wrongPassword');
    if (error.status === 423 || error.code === 'locked') return t('login.lockedOut');
    if (error.status === 429) return t('login.rateLimited');
  }
  return t('login.failed', { detail: describeError(error, t) });
}

export function LoginPage() {
  const { t, locale, setLocale } = useI18n();
  const navigate = useNavigate();
  const location = useLocation();
  const login = useLogin();
  const session = useSession();
  const settings = usePublicSettings();
  // The installation's own name (settings); the product's generic words until it has loaded.
  const name = settings.data?.name ?? t('app.subtitle');
  useEffect(() => {
    document.title = `${t('app.name')} · ${name}`;
  }, [t, name]);
  const from = (location.state as { from?: string } | null)?.from;
  const target = from?.startsWith('/') && !from.startsWith('/login') ? from : '/';

  if (session.data) return <Navigate to={target} replace />;

  const onFinish = (values: LoginInput) => login.mutate(values, { onSuccess: () => navigate(target, { replace: true }) });

  const otherLocale = locale === 'zh-CN' ? 'en' : 'zh-CN';

  return (
    <main className="login-page">
      <div className="login-lang">
        <Button
          type="text"
          icon={<TranslationOutlined aria-hidden />}
          onClick={() => setLocale(otherLocale)}
          aria-label={`${t('header.language')}: ${otherLocale === 'en' ? 'English' : '中文'}`}
          lang={otherLocale}
        >
          {otherLocale === 'en' ? 'English' : '中文'}
        </Button>
      </div>
      {/* A plain panel, not antd Card: Card brings Tabs, Dropdown and Menu (~20 KB gz) into the first load. */}
      <section className="login-card" aria-labelledby="login-title">
        <div className="login-brand">
          <span className="login-mark" aria-hidden>
            落
          </span>
          <div>
            <Typography.Title level={1} style={{ margin: 0, fontSize: 22 }}>
              {t('app.name')}
            </Typography.Title>
            <Typography.Text type="secondary">{t('app.subtitle')}</Typography.Text>
          </div>
        </div>
        <Typography.Title level={2} id="login-title" style={{ fontSize: 16, margin: '0 0 16px' }}>
          {t('login.title')}
        </Typography.Title>
        {login.isError && <Alert type="error" showIcon role="alert" title={describeLoginError(login.error, t)} className="login-error" />}
        <Form<LoginInput> layout="vertical" onFinish={onFinish} requiredMark={false} disabled={login.isPending} name="login">
          <Form.Item
            label={t('login.username')}
            name="username"
            rules={[{ required: true, message: t('common.required', { field: t('login.username') }) }]}
          >
            <Input prefix={<UserOutlined aria-hidden />} autoComplete="username" autoFocus size="large" />
          </Form.Item>
          <Form.Item
            label={t('login.password')}
            name="password"
            rules={[{ required: true, message: t('common.required', { field: t('login.password') }) }]}
          >
            <Input.Password prefix={<LockOutlined aria-hidden />} autoComplete="current-password" size="large" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block size="large" loading={login.isPending}>
            {t('login.submit')}
          </Button>
        </Form>
      </section>
      <p className="login-footer">{t('login.footer', { name })}</p>
    </main>
  );
}
