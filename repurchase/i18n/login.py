"""Signing in: the password form, its refusals, and the company sign-in (OpenID Connect)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # the password form and why it refuses
    "login.title": {"en": "Sign in", "zh": "登录"},
    "login.username": {"en": "Username", "zh": "用户名"},
    "login.password": {"en": "Password", "zh": "密码"},
    "login.role": {"en": "Role", "zh": "角色"},
    "login.submit": {"en": "Sign in", "zh": "登录"},
    "login.wrong": {"en": "Wrong username or password.", "zh": "用户名或密码错误。"},
    "login.locked": {
        "en": "Too many wrong passwords: this account is locked for {minutes} minutes.",
        "zh": "密码错误次数过多:该账号已锁定 {minutes} 分钟。",
    },
    "login.demo_accounts": {
        "en": "Demo accounts (this is a demo warehouse); the password of each is {password}",
        "zh": "演示账号(当前为演示数据);每个账号的密码均为 {password}",
    },
    "login.throttled": {
        "en": "Too many failed sign-ins for this name from your network. "
        "Wait {seconds} seconds, then try again.",
        "en_one": "Too many failed sign-ins for this name from your network. "
        "Wait a second, then try again.",
        "one_if": "seconds",
        "zh": "该用户名在您的网络中登录失败次数过多,请等待 {seconds} 秒后再试。",
    },
    "login.disabled": {
        "en": "This account is disabled. Ask an admin to enable it.",
        "zh": "该账号已被停用,请联系管理员启用。",
    },
    "login.busy": {
        "en": "The data is busy with a job (an import or a retrain), so signing in has to "
        "wait. Please try again in a minute.",
        "zh": "数据正在执行任务(导入或训练),暂时无法登录。请一分钟后再试。",
    },
    # the company sign-in (OpenID Connect) and why it refuses
    "company.button": {"en": "Sign in with {provider}", "zh": "使用{provider}登录"},
    "company.button_default": {
        "en": "Sign in with your company account",
        "zh": "使用公司账号登录",
    },
    "company.or_password": {
        "en": "Or sign in with a username and password kept in this app:",
        "zh": "或使用本应用的用户名和密码登录:",
    },
    "company.sign_out_provider": {
        "en": "Sign out of this company account",
        "zh": "退出此公司账号",
    },
    "company.settings_error": {
        "en": "Company sign-in is misconfigured (.streamlit/secrets.toml): {message}",
        "zh": "公司账号登录配置有误(.streamlit/secrets.toml):{message}",
    },
    "company.refused.unknown": {
        "en": "The company account {identity} is not linked to a user of this app, so it "
        "cannot sign in. Ask an admin to add you with this account.",
        "zh": "公司账号 {identity} 未关联本应用的用户,无法登录。请联系管理员用此账号为您添加用户。",
    },
    "company.refused.disabled": {
        "en": "Your user in this app ({identity}) is disabled; ask an admin.",
        "zh": "您在本应用的用户({identity})已停用,请联系管理员。",
    },
    "company.refused.unverified": {
        "en": "Your identity provider has not verified the email address {identity}, so it "
        "cannot sign in here. Ask an admin.",
        "zh": "身份提供方尚未验证邮箱 {identity},因此无法登录。请联系管理员。",
    },
    "company.refused.no_claim": {
        "en": "Your identity provider did not say who you are in the way this app matches "
        "users (the {claim} claim). Ask an admin to check the company sign-in settings.",
        "zh": "身份提供方未提供本应用用于匹配用户的信息({claim})。"
        "请联系管理员检查公司账号登录的设置。",
    },
    "company.refused.expired": {
        "en": "Your company sign-in has expired. Sign in again.",
        "zh": "公司账号登录已过期,请重新登录。",
    },
    "company.refused.used": {
        "en": "Your session has ended. Sign in again.",
        "zh": "您的会话已结束,请重新登录。",
    },
}
