package scanner

// gitLabRules returns the rules for GitLab.
func gitLabRules() []Rule {
	gitLab := Remediation{
		What:          "A GitLab personal, project or group access token that acts as its user or bot on the API, Git over HTTPS and the registries, within its scopes.",
		RevokeURL:     "https://gitlab.com/-/user_settings/personal_access_tokens",
		Revoke:        "Revoke the token in User settings > Access tokens (project and group tokens: the project's or group's Settings > Access tokens). A token can revoke itself through the API.",
		RevokeCommand: `curl -X DELETE -H "PRIVATE-TOKEN: <TOKEN>" https://gitlab.com/api/v4/personal_access_tokens/self`,
		Rotate:        "Create a replacement with the fewest scopes and an expiry date (or rotate it with POST /personal_access_tokens/<ID>/rotate), update CI/CD variables and clients, and redeploy.",
		Misuse:        "Review the audit events (Secure > Audit events for the group or project, Admin > Monitoring > Audit events on self-managed) and the token's Last used column.",
		DocsURL:       "https://docs.gitlab.com/user/profile/personal_access_tokens/",
	}
	gitLabDeploy := gitLab
	gitLabDeploy.What = "A GitLab deploy token that reads (or writes) a project's or group's repository, container registry and package registry."
	gitLabDeploy.RevokeURL = "https://gitlab.com/<NAMESPACE>/<PROJECT>/-/settings/repository"
	gitLabDeploy.Revoke = "Revoke it in the project's (or group's) Settings > Repository > Deploy tokens."
	gitLabDeploy.RevokeCommand = `curl -X DELETE -H "PRIVATE-TOKEN: <MAINTAINER_TOKEN>" https://gitlab.com/api/v4/projects/<PROJECT_ID>/deploy_tokens/<DEPLOY_TOKEN_ID>`
	gitLabDeploy.Rotate = "Create a new deploy token with only the scopes needed and update the deploy system or registry credentials that used it."
	gitLabDeploy.DocsURL = "https://docs.gitlab.com/user/project/deploy_tokens/"
	gitLabRunner := gitLab
	gitLabRunner.What = "A GitLab runner authentication token: whoever holds it can register as the runner and receive its CI/CD jobs, including their variables and secrets."
	gitLabRunner.RevokeURL = "https://gitlab.com/<NAMESPACE>/<PROJECT>/-/settings/ci_cd#js-runners-settings"
	gitLabRunner.Revoke = "Reset the runner's authentication token (or delete the runner) in Settings > CI/CD > Runners; the token can also reset itself through the API."
	gitLabRunner.RevokeCommand = `curl -X POST https://gitlab.com/api/v4/runners/reset_authentication_token --form "token=<TOKEN>"`
	gitLabRunner.Rotate = "Put the new token in the runner's config.toml (or re-register the runner) and restart gitlab-runner."
	gitLabRunner.Misuse = "Check the runner's Last contact and the jobs it picked up (Settings > CI/CD > Runners), and audit events for runner changes."
	gitLabRunner.DocsURL = "https://docs.gitlab.com/security/tokens/#runner-authentication-tokens"
	gitLabRunnerReg := gitLabRunner
	gitLabRunnerReg.What = "A GitLab runner registration token (deprecated): whoever holds it can register runners that receive the project's or group's CI/CD jobs."
	gitLabRunnerReg.Revoke = "Reset the registration token in Settings > CI/CD > Runners (or through the API) and remove runners you do not recognise."
	gitLabRunnerReg.RevokeCommand = `curl -X POST -H "PRIVATE-TOKEN: <MAINTAINER_TOKEN>" https://gitlab.com/api/v4/projects/<PROJECT_ID>/runners/reset_registration_token`
	gitLabRunnerReg.Rotate = "Move to the runner creation workflow (glrt- authentication tokens) instead of registration tokens."
	gitLabRunnerReg.DocsURL = "https://docs.gitlab.com/security/tokens/#runner-registration-tokens-deprecated"
	gitLabTrigger := gitLab
	gitLabTrigger.What = "A GitLab pipeline trigger token that starts pipelines for a project's branches and tags, with the owner's permissions."
	gitLabTrigger.RevokeURL = "https://gitlab.com/<NAMESPACE>/<PROJECT>/-/settings/ci_cd#js-pipeline-triggers"
	gitLabTrigger.Revoke = "Revoke it in the project's Settings > CI/CD > Pipeline trigger tokens."
	gitLabTrigger.RevokeCommand = `curl -X DELETE -H "PRIVATE-TOKEN: <MAINTAINER_TOKEN>" https://gitlab.com/api/v4/projects/<PROJECT_ID>/triggers/<TRIGGER_ID>`
	gitLabTrigger.Rotate = "Create a new trigger token and update the systems that call the trigger API."
	gitLabTrigger.Misuse = "Look for pipelines with source \"trigger\" that you did not start (Build > Pipelines) and audit events."
	gitLabTrigger.DocsURL = "https://docs.gitlab.com/ci/triggers/"
	gitLabJob := gitLab
	gitLabJob.What = "A GitLab CI/CD job token (CI_JOB_TOKEN) that acts with the permissions of the user who started the job, valid only while the job runs."
	gitLabJob.RevokeURL = "https://gitlab.com/<NAMESPACE>/<PROJECT>/-/jobs"
	gitLabJob.Revoke = "The token expires when its job finishes; if the job is still running, cancel it. Then remove the token from the log, artifact or file that exposed it."
	gitLabJob.RevokeCommand = `curl -X POST -H "PRIVATE-TOKEN: <TOKEN_WITH_API_SCOPE>" https://gitlab.com/api/v4/projects/<PROJECT_ID>/jobs/<JOB_ID>/cancel`
	gitLabJob.Rotate = "Nothing to re-issue: every job gets a fresh token. Restrict which projects may use job tokens (Settings > CI/CD > Job token permissions)."
	gitLabJob.DocsURL = "https://docs.gitlab.com/ci/jobs/ci_job_token/"
	gitLabFeed := gitLab
	gitLabFeed.What = "A GitLab feed token that reads the user's RSS/Atom feeds and calendar, which include private issue and activity titles."
	gitLabFeed.Revoke = "Reset the feed token in User settings > Access tokens > Feed token."
	gitLabFeed.RevokeCommand = ""
	gitLabFeed.Rotate = "Resetting issues a new token; update feed readers and calendar subscriptions."
	gitLabFeed.DocsURL = "https://docs.gitlab.com/security/tokens/#feed-token"
	gitLabMail := gitLab
	gitLabMail.What = "A GitLab incoming email token that lets anyone who knows it create issues and merge requests by email as the user."
	gitLabMail.Revoke = "Reset it from a project's issue list: Email a new issue to this project > reset this token (or User settings > Access tokens > Incoming email token)."
	gitLabMail.RevokeCommand = ""
	gitLabMail.Rotate = "Resetting issues a new address; update any mail rules that used the old one."
	gitLabMail.DocsURL = "https://docs.gitlab.com/security/tokens/#incoming-email-token"
	gitLabAgent := gitLab
	gitLabAgent.What = "A GitLab agent for Kubernetes token: whoever holds it can connect as the agent and reach the cluster access and CI/CD tunnel it provides."
	gitLabAgent.RevokeURL = "https://gitlab.com/<NAMESPACE>/<PROJECT>/-/clusters"
	gitLabAgent.Revoke = "Revoke the token in Operate > Kubernetes clusters > <agent> > Access tokens."
	gitLabAgent.RevokeCommand = `curl -X DELETE -H "PRIVATE-TOKEN: <MAINTAINER_TOKEN>" https://gitlab.com/api/v4/projects/<PROJECT_ID>/cluster_agents/<AGENT_ID>/tokens/<TOKEN_ID>`
	gitLabAgent.Rotate = "Create a new agent token and update the agentk Secret in the cluster (helm upgrade --set config.token=...)."
	gitLabAgent.DocsURL = "https://docs.gitlab.com/user/clusters/agent/work_with_agent/#reset-the-agent-token"
	gitLabOAuth := gitLab
	gitLabOAuth.What = "A GitLab OAuth application secret that lets its holder obtain tokens as the application from users who authorized it."
	gitLabOAuth.RevokeURL = "https://gitlab.com/-/user_settings/applications"
	gitLabOAuth.Revoke = "Renew the secret in the application's settings (User settings, Group settings or Admin > Applications > Renew secret)."
	gitLabOAuth.RevokeCommand = `curl -X POST -H "PRIVATE-TOKEN: <ADMIN_TOKEN>" https://gitlab.example.com/api/v4/applications/<APPLICATION_ID>/renew-secret`
	gitLabOAuth.Rotate = "Put the renewed secret in the application's configuration and redeploy it."
	gitLabOAuth.DocsURL = "https://docs.gitlab.com/integration/oauth_provider/"
	gitLabSCIM := gitLab
	gitLabSCIM.What = "A GitLab SCIM token that provisions and deprovisions the group's SAML SSO users."
	gitLabSCIM.RevokeURL = "https://gitlab.com/groups/<GROUP>/-/saml"
	gitLabSCIM.Revoke = "Reset the SCIM token in the group's Settings > SAML SSO > SCIM token."
	gitLabSCIM.RevokeCommand = ""
	gitLabSCIM.Rotate = "Enter the new token in your identity provider's SCIM provisioning settings."
	gitLabSCIM.DocsURL = "https://docs.gitlab.com/user/group/saml_sso/scim_setup/"
	gitLabFlags := gitLab
	gitLabFlags.What = "A GitLab feature flags client token (instance ID) that reads a project's feature flag configuration."
	gitLabFlags.RevokeURL = "https://gitlab.com/<NAMESPACE>/<PROJECT>/-/feature_flags"
	gitLabFlags.Revoke = "Reset the instance ID in Deploy > Feature flags > Configure."
	gitLabFlags.RevokeCommand = ""
	gitLabFlags.Rotate = "Update the Unleash clients with the new instance ID."
	gitLabFlags.DocsURL = "https://docs.gitlab.com/operations/feature_flags/"
	const glFormat = "Format: https://docs.gitlab.com/security/tokens/#token-prefixes"
	const glChars = `[A-Za-z0-9_\-]`

	return []Rule{
		Rule{
			ID:          "gitlab-pat",
			Provider:    "GitLab",
			Description: "GitLab personal, project or group access token in the legacy form, glpat- + 20 characters. " + glFormat,
			Keywords:    []string{"glpat-"},
			Pattern:     uniqueToken(`glpat-`+glChars+`{20}`, tokenChars),
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  High,
			Remediation: gitLab,
			TruePositives: []string{
				`export GITLAB_TOKEN=glpat-HLUk9m9A4neAXLidRP8N`,
				`private_token: "glpat-VzB3TcXLRIAY0lBEINWU"`,
				`git clone https://oauth2:glpat-vLyMflTWm2igdgjZF5QV@gitlab.com/acme/api.git`,
			},
			FalsePositives: []string{
				`export GITLAB_TOKEN=glpat-xxxxxxxxxxxxxxxxxxxx`,
				`export GITLAB_TOKEN=glpat-XXXXXXXXXXX-XXXXXXXX`,
				`export GITLAB_TOKEN=glpat-q7Rt2LmX9pKv`,
			},
		},
		Rule{
			ID:          "gitlab-pat-routable",
			Provider:    "GitLab",
			Description: "GitLab personal, project or group access token in the routable form (GitLab 17.7+), glpat- + base64url payload + . + [version .] + base36 length + 7-character base36 CRC-32, checked. Format: https://handbook.gitlab.com/handbook/engineering/architecture/design-documents/cells/routable_tokens/",
			Keywords:    []string{"glpat-"},
			Pattern:     uniqueToken(`glpat-`+glChars+`{27,300}\.(?:[0-9a-z]{2}\.)?[0-9a-z]{9}`, `A-Za-z0-9_.\-`),
			Group:       1,
			Validators:  []Validator{validGitLabRoutable},
			Confidence:  High,
			Remediation: gitLab,
			TruePositives: []string{
				`export GITLAB_TOKEN=glpat-YzoxCm86YXNzawp1OjFndnlzYXbW0RO_zteF5i1rSnrnQNgQ.01.1c0qci35e`,
				`  token: "glpat-YzoxCm86YTdwbAp1OjE2ZWZxeB9zizcunHNPB6dVZNZfwP0Q.01.1c0if91pz"`,
				`headers = {"PRIVATE-TOKEN": "glpat-YzoxCm86NGxxagp1OjE4bGwyd3eIAL4WlL4OYreZn09z9_oQ.01.1c0fhq3xt"}`,
			},
			FalsePositives: []string{
				`export GITLAB_TOKEN=glpat-YzoxCm86YXNzawp1OjFndnlzYXbW0RO_zteF5i1rSnrnQNgQ.01.1c0qci35a`,
				`export GITLAB_TOKEN=glpat-xxxxxxxx-xxxxxxxxxxxxxxxxxx.xxxxxxxxx`,
				`export GITLAB_TOKEN=glpat-EXAMPLEabcd1234567890qrstuv.01.0example12`,
			},
		},
		Rule{
			ID:          "gitlab-deploy-token",
			Provider:    "GitLab",
			Description: "GitLab deploy token, gldt- + 20 characters. " + glFormat,
			Keywords:    []string{"gldt-"},
			Pattern:     uniqueToken(`gldt-`+glChars+`{20}`, tokenChars),
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  High,
			Remediation: gitLabDeploy,
			TruePositives: []string{
				`docker login registry.gitlab.com -u gitlab+deploy-token-42 -p gldt-I5SyWcwSEfw3Ck3td7wH`,
				`CI_DEPLOY_PASSWORD: "gldt-ReYwaVV-d1JQmO4IULQz"`,
				`password = 'gldt-iv3wLVcMe9_ktBd0vPUY'`,
			},
			FalsePositives: []string{
				`CI_DEPLOY_PASSWORD: "gldt-xxxxxxxxxxxxxxxxxxxx"`,
				`CI_DEPLOY_PASSWORD: "gldt-q7Rt2LmX9pKv"`,
				`CI_DEPLOY_PASSWORD: "$CI_DEPLOY_PASSWORD" # gldt- tokens`,
			},
		},
		Rule{
			ID:          "gitlab-runner-token",
			Provider:    "GitLab",
			Description: "GitLab runner authentication token, glrt- [+ tN_] + 20 characters. " + glFormat,
			Keywords:    []string{"glrt-"},
			Pattern:     uniqueToken(`glrt-(?:t[0-9]_)?`+glChars+`{20}`, `A-Za-z0-9_.\-`),
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  High,
			Remediation: gitLabRunner,
			TruePositives: []string{
				`  token = "glrt-Ett10NwUDM3Q0eNXG_Zb"`,
				`gitlab-runner register --url https://gitlab.com --token glrt-t3_UdCjY-penUKtFZa9Qp9Y`,
				`RUNNER_TOKEN=glrt-t2_AkCYqO4SAlG_LxxUkC9i`,
			},
			FalsePositives: []string{
				`  token = "glrt-t1_xxxxxxxxxxxxxxxxxxxx"`,
				`  token = "glrt-q7Rt2LmX9pKv"`,
				`  token = "glrt-tx_xxxxxxxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxx"`,
			},
		},
		Rule{
			ID:          "gitlab-runner-token-routable",
			Provider:    "GitLab",
			Description: "GitLab runner authentication token in the routable form, glrt-[tN_] + base64url payload + . + [version .] + base36 length + 7-character base36 CRC-32, checked. Format: https://handbook.gitlab.com/handbook/engineering/architecture/design-documents/cells/routable_tokens/",
			Keywords:    []string{"glrt-"},
			Pattern:     uniqueToken(`glrt-(?:t[0-9]_)?`+glChars+`{27,300}\.(?:[0-9a-z]{2}\.)?[0-9a-z]{9}`, `A-Za-z0-9_.\-`),
			Group:       1,
			Validators:  []Validator{validGitLabRoutable},
			Confidence:  High,
			Remediation: gitLabRunner,
			TruePositives: []string{
				`  token = "glrt-t3_YzoxCm86OWlhZgp1OmJoc2F9ffwPREb9ze7jvNte3DnIEA.01.1a1suzcnp"`,
				`gitlab-runner register --non-interactive --url https://gitlab.com --token glrt-t2_YzoxCm86OThzNwp1OjhjbDY9MseGl_xtIzAY8U7KsU4iEA.01.1a1fgcnd9 --executor docker`,
				`RUNNER_TOKEN=glrt-t2_YzoxCm86OXJxOAp1OjQ3dDbITEhEnenNpj5j7-OVbHyJEA.01.1a0gl2p07`,
			},
			FalsePositives: []string{
				`  token = "glrt-t3_YzoxCm86OWlhZgp1OmJoc2F9ffwPREb9ze7jvNte3DnIEA.01.1a1suzcna"`,
				`  token = "glrt-tx_xxxxxxxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxx"`,
				`  token = "glrt-t3_UdCjY-penUKtFZa9Qp9Y"`,
			},
		},
		Rule{
			ID:          "gitlab-pipeline-trigger-token",
			Provider:    "GitLab",
			Description: "GitLab pipeline trigger token, glptt- + 40 hex characters. " + glFormat,
			Keywords:    []string{"glptt-"},
			Pattern:     uniqueToken(`glptt-[0-9a-f]{40}`, tokenChars),
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  High,
			Remediation: gitLabTrigger,
			TruePositives: []string{
				`curl -X POST --fail -F token=glptt-0acb66c905db56d07042942c60916b74385082a9 -F ref=main https://gitlab.com/api/v4/projects/42/trigger/pipeline`,
				`TRIGGER_TOKEN: "glptt-126ceb707d326fa2cfaa63ae804e5823bb7ef925"`,
				`trigger_token = 'glptt-e09acd0dc39944bed3c75ef404ed83de506beaa6'`,
			},
			FalsePositives: []string{
				`TRIGGER_TOKEN: "glptt-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"`,
				`TRIGGER_TOKEN: "glptt-3f9a0c7e51b28d46e0a9"`,
				`TRIGGER_TOKEN: "$TRIGGER_TOKEN"  # glptt- value in CI/CD variables`,
			},
		},
		Rule{
			ID:          "gitlab-runner-registration-token",
			Provider:    "GitLab",
			Description: "GitLab runner registration token (deprecated), GR1348941 + 20 characters. " + glFormat,
			Keywords:    []string{"gr1348941"},
			Pattern:     uniqueToken(`GR1348941`+glChars+`{20}`, tokenChars),
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  High,
			Remediation: gitLabRunnerReg,
			TruePositives: []string{
				`gitlab-runner register --url https://gitlab.com/ --registration-token GR1348941v-VMN4ZuRppvWLDbNDpV`,
				`REGISTRATION_TOKEN=GR1348941w4EzAjX8OpznQStcSSVD`,
				`  runnerRegistrationToken: "GR13489413AHQCe0aSTSGzJRbcfI6"`,
			},
			FalsePositives: []string{
				`REGISTRATION_TOKEN=GR134894112312312312312312312`,
				`REGISTRATION_TOKEN=GR1348941XXXXXXXXXXXXXXXXXXXX`,
				`REGISTRATION_TOKEN=GR1348941q7Rt2LmX9pKv`,
			},
		},
		Rule{
			ID:          "gitlab-ci-job-token",
			Provider:    "GitLab",
			Description: "GitLab CI/CD job token, glcbt- + optional partition ID and _ + 20 characters. " + glFormat,
			Keywords:    []string{"glcbt-"},
			Pattern:     uniqueToken(`glcbt-(?:[0-9a-zA-Z]{1,5}_)?`+glChars+`{20}`, tokenChars),
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  High,
			Remediation: gitLabJob,
			TruePositives: []string{
				`CI_JOB_TOKEN=glcbt-ca_CFnCYmnxgq24_dVOGMKV`,
				`curl --header "JOB-TOKEN: glcbt-00_MbvySFk6bKAkJy3frurq" https://gitlab.com/api/v4/projects/42/packages`,
				`job_token: 'glcbt-4_h8ULW5KMLbmvd_RVNvTP'`,
			},
			FalsePositives: []string{
				`curl --header "JOB-TOKEN: $CI_JOB_TOKEN" # a glcbt- token`,
				`CI_JOB_TOKEN=glcbt-64_xxxxxxxxxxxxxxxxxxxx`,
				`CI_JOB_TOKEN=glcbt-q7Rt2LmX9pKv`,
			},
		},
		Rule{
			ID:          "gitlab-feed-token",
			Provider:    "GitLab",
			Description: "GitLab feed token, glft- + 20 characters. " + glFormat,
			Keywords:    []string{"glft-"},
			Pattern:     uniqueToken(`glft-`+glChars+`{20}`, tokenChars),
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  High,
			Remediation: gitLabFeed,
			TruePositives: []string{
				`https://gitlab.com/acme/api/-/issues.atom?feed_token=glft-8ghECdAFgtiTPPpxOxLN&state=opened`,
				`FEED_TOKEN=glft-xV6iUKZQ2yb0hED5I743`,
				`"feed_token": "glft-ro2O5KnWBdvIXSIt3Bpv"`,
			},
			FalsePositives: []string{
				`FEED_TOKEN=glft-xxxxxxxxxxxxxxxxxxxx`,
				`FEED_TOKEN=glft-q7Rt2LmX9pKv`,
				`FEED_TOKEN=glft-<your-feed-token>`,
			},
		},
		Rule{
			ID:          "gitlab-incoming-mail-token",
			Provider:    "GitLab",
			Description: "GitLab incoming email token, glimt- + 25 characters. " + glFormat,
			Keywords:    []string{"glimt-"},
			Pattern:     uniqueToken(`glimt-[0-9a-z]{25}`, tokenChars),
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  High,
			Remediation: gitLabMail,
			TruePositives: []string{
				`INCOMING_EMAIL_TOKEN=glimt-9dgq9qyyc56a0b2fz83y205cm`,
				`incoming_email_token: glimt-g0u2w701dutsy98xlz2y510zf`,
				`token = "glimt-gy6gw80pnzljknigxxb4jrrfn"`,
			},
			FalsePositives: []string{
				`token = "glimt-xxxxxxxxxxxxxxxxxxxxxxxxx"`,
				`token = "glimt-q7rt2lmx9pkv"`,
				`token = "glimt-aaaaaaaaaaaabbbbbbbbbbbbb"`,
			},
		},
		Rule{
			ID:          "gitlab-agent-token",
			Provider:    "GitLab",
			Description: "GitLab agent for Kubernetes token, glagent- + 50 characters. " + glFormat,
			Keywords:    []string{"glagent-"},
			Pattern:     uniqueToken(`glagent-`+glChars+`{50}`, tokenChars),
			Group:       1,
			MinEntropy:  3.5,
			Confidence:  High,
			Remediation: gitLabAgent,
			TruePositives: []string{
				`helm upgrade --install acme gitlab/gitlab-agent --set config.token=glagent-jTTjLUjFRaWQZ0lbUwrm0c4-mcypZDEb9LHzQ6LYyB8FacM9BZ`,
				`  token: "glagent-QtEhGosSxL3CW2rdF-eoJY0C3oqec5DbKJnZe8tAcakQ0N8xNO"`,
				`AGENT_TOKEN=glagent-hzlrFUgTMWe-6F5G6VsvYdg1kA_fGpEYdR-UKuaWJBCq0ZSLQz`,
			},
			FalsePositives: []string{
				`AGENT_TOKEN=glagent-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`AGENT_TOKEN=glagent-q7Rt2LmX9pKv4WzN8bYc3HdJ6fGs1A`,
				`AGENT_TOKEN=glagent-{{ .Values.agentToken }}`,
			},
		},
		Rule{
			ID:          "gitlab-oauth-app-secret",
			Provider:    "GitLab",
			Description: "GitLab OAuth application secret, gloas- + 64 characters. " + glFormat,
			Keywords:    []string{"gloas-"},
			Pattern:     uniqueToken(`gloas-[0-9a-z]{64}`, tokenChars),
			Group:       1,
			MinEntropy:  3.5,
			Confidence:  High,
			Remediation: gitLabOAuth,
			TruePositives: []string{
				`GITLAB_CLIENT_SECRET=gloas-0u78mzjp4q34khfa8u62rmi04k25jjuacivi3mh9ndo37g4mz5quh1p8j7quytg1`,
				`  client_secret: "gloas-46httscxy4mctgmitbkw23h2g6ot78ujbvnj1pkfme5lkytbs515w3msyh94ehss"`,
				`config.omniauth :gitlab, "5c2b1a", "gloas-d93s79dzslgstd4laaqn1nl9ndq8xcznioi2gae095rlegsyv25wyxeemz1rfj38"`,
			},
			FalsePositives: []string{
				`GITLAB_CLIENT_SECRET=gloas-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`GITLAB_CLIENT_SECRET=gloas-q7rt2lmx9pkv`,
				`GITLAB_CLIENT_SECRET=gloas-0u78mzjp4q34khfa8u62rmi04k25jjuacivi3mh9ndo37g4mz5quh1p8j7quytg1extra`,
			},
		},
		Rule{
			ID:          "gitlab-scim-token",
			Provider:    "GitLab",
			Description: "GitLab group SCIM token, glsoat- + 20 characters. " + glFormat,
			Keywords:    []string{"glsoat-"},
			Pattern:     uniqueToken(`glsoat-`+glChars+`{20}`, tokenChars),
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  High,
			Remediation: gitLabSCIM,
			TruePositives: []string{
				`SCIM_TOKEN=glsoat-pKH5B1YAAj7dkrokAoVc`,
				`  "scim_token": "glsoat-MwBtbEY0Eq2kp3EcYXME",`,
				`Authorization: Bearer glsoat-VJqFtf-DGSkB1LeCA5bV`,
			},
			FalsePositives: []string{
				`SCIM_TOKEN=glsoat-xxxxxxxxxxxxxxxxxxxx`,
				`SCIM_TOKEN=glsoat-q7Rt2LmX9pKv`,
				`SCIM_TOKEN=glsoat-${SCIM}`,
			},
		},
		Rule{
			ID:          "gitlab-feature-flag-client-token",
			Provider:    "GitLab",
			Description: "GitLab feature flags client token (Unleash instance ID), glffct- + 20 characters. " + glFormat,
			Keywords:    []string{"glffct-"},
			Pattern:     uniqueToken(`glffct-`+glChars+`{20}`, tokenChars),
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  High,
			Remediation: gitLabFlags,
			TruePositives: []string{
				`UNLEASH_INSTANCE_ID=glffct-Gym9OJLOnjCZveH4f5K3`,
				`  instanceId: "glffct-xTnbRQZmR8YZoEubgmPG",`,
				`unleash.New(unleash.WithInstanceId("glffct-E3jnxvJOf53aUTYOmEma"))`,
			},
			FalsePositives: []string{
				`UNLEASH_INSTANCE_ID=glffct-xxxxxxxxxxxxxxxxxxxx`,
				`UNLEASH_INSTANCE_ID=glffct-q7Rt2LmX9pKv`,
				`UNLEASH_INSTANCE_ID=glffct-<instance-id>`,
			},
		},
	}
}
