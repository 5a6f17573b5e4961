package scanner

// circleCIRules returns the rules for CircleCI.
func circleCIRules() []Rule {
	circleRem := Remediation{
		What:          "A CircleCI API token that acts as its user (personal) or on its project (project token), including triggering pipelines and managing project settings.",
		RevokeURL:     "https://app.circleci.com/settings/user/tokens",
		Revoke:        "Delete the personal token in User Settings > Personal API Tokens (project tokens: Project Settings > API Permissions).",
		RevokeCommand: "",
		Rotate:        "Create a new token and update the scripts or CLI (circleci setup) that use it.",
		Misuse:        "Review the organization's audit logs (Organization Settings > Security > Audit Logs) and pipeline history.",
		DocsURL:       "https://circleci.com/docs/managing-api-tokens/",
	}

	return []Rule{
		Rule{
			ID:          "circleci-api-token",
			Provider:    "CircleCI",
			Description: "CircleCI personal (CCIPAT_) or project (CCIPRJ_) API token, prefix + 22 alphanumeric characters + _ + 40 hex characters. Format: https://circleci.com/docs/managing-api-tokens/",
			Keywords:    []string{"ccipat_", "cciprj_"},
			Pattern:     uniqueToken(`CCIP(?:AT|RJ)_[A-Za-z0-9]{22}_[0-9a-f]{40}`, wordChars),
			Group:       1,
			MinEntropy:  4.0,
			Confidence:  High,
			Remediation: circleRem,
			TruePositives: []string{
				`CIRCLECI_TOKEN=CCIPAT_xcYCGIL6rauAWGhnvuGjNn_aad99360c5bcb68ca14316c366a361e22252d206`,
				`'Circle-Token': 'CCIPAT_5l1iVWqDekJBqxvlklqf84_94f371ee96c603c584d214681714ce61a2008d7e'`,
				`  circle_project_token: "CCIPRJ_tiUBBuAo00A6a4c8BrffTm_d073ea0cf06e4a87b3bb54facfb79a2afb6b966a"`,
			},
			FalsePositives: []string{
				`CIRCLECI_TOKEN=CCIPAT_...`,
				`CIRCLECI_TOKEN=CCIPAT_xxxxxxxxxxxxxxxxxxxxxx_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`CIRCLECI_TOKEN=ccipat_PLACEHOLDER_syncer_test_value`,
			},
		},
	}
}

// buildkiteRules returns the rules for Buildkite.
func buildkiteRules() []Rule {
	buildkiteRem := Remediation{
		What:          "A Buildkite user API access token that calls the REST and GraphQL APIs as its user for the organizations and scopes it was granted.",
		RevokeURL:     "https://buildkite.com/user/api-access-tokens",
		Revoke:        "Revoke the token in Personal Settings > API Access Tokens, or with the API authenticated by the token itself.",
		RevokeCommand: `curl -X DELETE -H "Authorization: Bearer <TOKEN>" https://api.buildkite.com/v2/access-token`,
		Rotate:        "Create a new token with the least scopes and organization access, and update the tools that use it.",
		Misuse:        "Review the organization's audit log (Organization Settings > Audit Log).",
		DocsURL:       "https://buildkite.com/docs/apis/managing-api-tokens",
	}

	return []Rule{
		Rule{
			ID:          "buildkite-api-token",
			Provider:    "Buildkite",
			Description: "Buildkite user API access token, bkua_ + 40 hex characters. Format: https://buildkite.com/docs/apis/managing-api-tokens",
			Keywords:    []string{"bkua_"},
			Pattern:     uniqueToken(`bkua_[0-9a-f]{40}`, wordChars),
			Group:       1,
			MinEntropy:  3.5,
			Confidence:  High,
			Remediation: buildkiteRem,
			TruePositives: []string{
				`BUILDKITE_API_TOKEN=bkua_217cfdef872386f1f5d92f3cbe0ef625fcda4f88`,
				`curl -H "Authorization: Bearer bkua_fa43a266dfe4b810f8173abe0c869ec51fc41e78" https://api.buildkite.com/v2/user`,
				`  buildkite_token: 'bkua_ab862da6b09f003e819df93b0779d96101732fd9'`,
			},
			FalsePositives: []string{
				`BUILDKITE_API_TOKEN=bkua_0000000000000000000000000000000000000000`,
				`BUILDKITE_API_TOKEN=bkua_3f9a0c7e51b28d46e0a9`,
				`BUILDKITE_API_TOKEN=bkua_<token>`,
			},
		},
	}
}

// sonarQubeRules returns the rules for SonarQube.
func sonarQubeRules() []Rule {
	sonarRem := Remediation{
		What:          "A SonarQube / SonarQube Cloud token that runs analyses (and, for user tokens, acts as the user on the Web API).",
		RevokeURL:     "https://sonarcloud.io/account/security",
		Revoke:        "Revoke the token in My Account > Security (administrators: Administration > Security > Users > Tokens).",
		RevokeCommand: `curl -u <ADMIN_TOKEN>: -X POST "https://<SONAR_HOST>/api/user_tokens/revoke?name=<TOKEN_NAME>&login=<LOGIN>"`,
		Rotate:        "Generate a project analysis token (sqp_) with an expiry and update SONAR_TOKEN in CI.",
		Misuse:        "Check the token's Last use in My Account > Security and the project's analysis history.",
		DocsURL:       "https://docs.sonarsource.com/sonarqube-server/latest/user-guide/managing-tokens/",
	}

	return []Rule{
		Rule{
			ID:          "sonarqube-token",
			Provider:    "SonarQube",
			Description: "SonarQube / SonarQube Cloud token: user (squ_), project analysis (sqp_) or global analysis (sqa_) + 40 hex characters. Format: https://docs.sonarsource.com/sonarqube-server/latest/user-guide/managing-tokens/",
			Keywords:    []string{"squ_", "sqp_", "sqa_"},
			Pattern:     uniqueToken(`sq[upa]_[0-9a-f]{40}`, wordChars),
			Group:       1,
			MinEntropy:  3.5,
			Confidence:  High,
			Remediation: sonarRem,
			TruePositives: []string{
				`SONAR_TOKEN=squ_2690849172f9733970f786aa62cf81f7b2993bf6`,
				`mvn sonar:sonar -Dsonar.token=sqp_925f911a2475be3e1e1d4b2ba49725adb52b1845`,
				`  SONAR_TOKEN: "sqa_373af2f9dd5d3fc022fd75f7b300f44e09a17275"`,
			},
			FalsePositives: []string{
				`SONAR_TOKEN=squ_0000000000000000000000000000000000000000`,
				`SONAR_TOKEN=sqp_3f9a0c7e51b28d46e0a9`,
				`SONAR_TOKEN=sqa_${SONAR_TOKEN}`,
			},
		},
	}
}

// snykRules returns the rules for Snyk.
func snykRules() []Rule {
	snykRem := Remediation{
		What:          "A Snyk API token that acts as its user on the Snyk API and CLI for every organization the user belongs to.",
		RevokeURL:     "https://app.snyk.io/account",
		Revoke:        "Revoke and regenerate the token in Account settings > Auth Token (service account tokens: Organization settings > Service accounts).",
		RevokeCommand: "",
		Rotate:        "Use a service account token for CI, and update SNYK_TOKEN.",
		Misuse:        "Review the organization's audit logs (Settings > Audit logs).",
		DocsURL:       "https://docs.snyk.io/snyk-api/authentication-for-api",
	}

	return []Rule{
		Rule{
			ID:          "snyk-api-token",
			Provider:    "Snyk",
			Description: "Snyk API token (a UUID) assigned to a name mentioning snyk. Format: https://docs.snyk.io/snyk-api/authentication-for-api",
			Keywords:    []string{"snyk"},
			Pattern:     assigned(`snyk`, `[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}`),
			Group:       1,
			MinEntropy:  3.0,
			Exempt:      DecoyUUID,
			Confidence:  Medium,
			Remediation: snykRem,
			TruePositives: []string{
				`SNYK_TOKEN=b5a15fc2-a66a-4588-aedf-8b1bf4283ecf`,
				`<snykToken>b5a15fc2-a66a-4588-aedf-8b1bf4283ecf</snykToken>`,
				`snyk_token: "cb40ce13-cc4d-4f65-9885-96beb7c49004"`,
				`System.setProperty("SNYK_API_TOKEN", "e008a2b0-4c96-43e3-b0d3-7f1b7f7d8947")`,
			},
			FalsePositives: []string{
				`SNYK_TOKEN=12345678-ABCD-ABCD-ABCD-1234567890AB`,
				`SNYK_TOKEN=00000000-0000-0000-0000-000000000000`,
				`SNYK_ORG_ID: b5a15fc2-a66a-4588-aedf-8b1bf4283ecfb7d41e09c3a5`,
				`request_id=b5a15fc2-a66a-4588-aedf-8b1bf4283ecf`,
			},
		},
	}
}

// codecovRules returns the rules for Codecov.
func codecovRules() []Rule {
	codecovRem := Remediation{
		What:          "A Codecov upload token that uploads coverage reports to a repository (or, as a global token, to every repository of an organization).",
		RevokeURL:     "https://app.codecov.io/gh/<OWNER>/<REPO>/config/general",
		Revoke:        "Regenerate the repository upload token in the repository's Configuration > General (global tokens: organization settings).",
		RevokeCommand: "",
		Rotate:        "Update CODECOV_TOKEN in CI with the regenerated token (or use OIDC uploads).",
		Misuse:        "Look for coverage uploads on commits and branches that are not yours in the repository's Codecov history.",
		DocsURL:       "https://docs.codecov.com/docs/codecov-tokens",
	}

	return []Rule{
		Rule{
			ID:          "codecov-upload-token",
			Provider:    "Codecov",
			Description: "Codecov upload token (a UUID) assigned to a name mentioning codecov. Format: https://docs.codecov.com/docs/codecov-tokens",
			Keywords:    []string{"codecov"},
			Pattern:     assigned(`codecov`, `[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`),
			Group:       1,
			MinEntropy:  3.0,
			Exempt:      DecoyUUID,
			Confidence:  Medium,
			Remediation: codecovRem,
			TruePositives: []string{
				`CODECOV_TOKEN=1a1da692-895c-452b-a8a9-001ee997f399`,
				`    codecov_token: "773bffa1-582f-4459-a042-281be8f2ec0d"`,
				`CODECOV_UPLOAD_TOKEN: 626579cc-27e0-44be-bd07-7e150ae62395`,
			},
			FalsePositives: []string{
				`CODECOV_TOKEN=00000000-0000-0000-0000-000000000000`,
				`CODECOV_TOKEN=${{ secrets.CODECOV_TOKEN }}`,
				`build_id=1a1da692-895c-452b-a8a9-001ee997f399`,
			},
		},
	}
}

// launchDarklyRules returns the rules for LaunchDarkly.
func launchDarklyRules() []Rule {
	ldRem := Remediation{
		What:          "A LaunchDarkly API access token that reads or changes feature flags, environments and members with its role.",
		RevokeURL:     "https://app.launchdarkly.com/settings/authorization",
		Revoke:        "Delete or reset the token in Organization settings > Authorization > Access tokens.",
		RevokeCommand: `curl -X POST -H "Authorization: <ADMIN_TOKEN>" https://app.launchdarkly.com/api/v2/tokens/<TOKEN_ID>/reset`,
		Rotate:        "Create a service token with the least role and update the integration.",
		Misuse:        "Review the audit log (Audit log in the LaunchDarkly UI, or GET /api/v2/auditlog) for changes by the token.",
		DocsURL:       "https://launchdarkly.com/docs/home/account/api",
	}
	ldSDK := ldRem
	ldSDK.What = "A LaunchDarkly server-side SDK key that reads every flag and segment (including targeted user keys) of one environment."
	ldSDK.RevokeURL = "https://app.launchdarkly.com/projects/<PROJECT>/settings/environments"
	ldSDK.Revoke = "Reset the environment's SDK key in Project settings > Environments (you can let the old key expire over a grace period)."
	ldSDK.RevokeCommand = `curl -X POST -H "Authorization: <ADMIN_TOKEN>" https://app.launchdarkly.com/api/v2/projects/<PROJECT_KEY>/environments/<ENV_KEY>/apiKey`
	ldSDK.Rotate = "Roll the new SDK key out to your servers before the old one expires."
	ldSDK.DocsURL = "https://launchdarkly.com/docs/sdk/concepts/client-side-server-side#keys"

	return []Rule{
		Rule{
			ID:          "launchdarkly-access-token",
			Provider:    "LaunchDarkly",
			Description: "LaunchDarkly API access token, api- + a UUID. Format: https://launchdarkly.com/docs/home/account/api",
			Keywords:    []string{"api-"},
			Pattern:     uniqueToken(`api-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`, tokenChars),
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  Medium,
			Remediation: ldRem,
			TruePositives: []string{
				`LAUNCHDARKLY_ACCESS_TOKEN=api-b5a15fc2-a66a-4588-aedf-8b1bf4283ecf`,
				`curl -H "Authorization: api-cb40ce13-cc4d-4f65-9885-96beb7c49004" https://app.launchdarkly.com/api/v2/flags/default`,
				`  access_token = "api-e008a2b0-4c96-43e3-b0d3-7f1b7f7d8947"`,
			},
			FalsePositives: []string{
				`LAUNCHDARKLY_ACCESS_TOKEN=api-00000000-0000-0000-0000-000000000000`,
				`https://example-api-b5a15fc2-a66a-4588-aedf-8b1bf4283ecf.internal`,
				`LAUNCHDARKLY_ACCESS_TOKEN=api-3f9a0c7e51b28d46e0a9`,
			},
		},
		Rule{
			ID:          "launchdarkly-sdk-key",
			Provider:    "LaunchDarkly",
			Description: "LaunchDarkly server-side SDK key, sdk- + a UUID. Format: https://launchdarkly.com/docs/sdk/concepts/client-side-server-side#keys",
			Keywords:    []string{"sdk-"},
			Pattern:     uniqueToken(`sdk-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`, tokenChars),
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  Medium,
			Remediation: ldSDK,
			TruePositives: []string{
				`LAUNCHDARKLY_SDK_KEY=sdk-1a1da692-895c-452b-a8a9-001ee997f399`,
				`client = ldclient.LDClient(Config("sdk-773bffa1-582f-4459-a042-281be8f2ec0d"))`,
				`  sdkKey: 'sdk-626579cc-27e0-44be-bd07-7e150ae62395'`,
			},
			FalsePositives: []string{
				`LAUNCHDARKLY_SDK_KEY=sdk-00000000-0000-0000-0000-000000000000`,
				`bucket: aws-sdk-1a1da692-895c-452b-a8a9-001ee997f399`,
				`LAUNCHDARKLY_SDK_KEY=sdk-3f9a0c7e51b28d46e0a9`,
			},
		},
	}
}

// travisCIRules returns the rules for Travis CI.
func travisCIRules() []Rule {
	travisRem := Remediation{
		What:          "A Travis CI API token that acts as its user on the Travis CI API: triggering builds, reading logs and changing settings and environment variables.",
		RevokeURL:     "https://app.travis-ci.com/account/preferences",
		Revoke:        "Regenerate the API token in Settings > Preferences > API authentication.",
		RevokeCommand: "",
		Rotate:        "Update the tools that used the token with the regenerated one.",
		Misuse:        "Review build history and repository settings changes in Travis CI.",
		DocsURL:       "https://docs.travis-ci.com/user/triggering-builds/",
	}

	return []Rule{
		Rule{
			ID:          "travis-ci-token",
			Provider:    "Travis CI",
			Description: "Travis CI API token, 22 characters assigned to a name mentioning travis. Format: https://docs.travis-ci.com/user/triggering-builds/",
			Keywords:    []string{"travis"},
			Pattern:     assigned(`travis`, `[A-Za-z0-9_\-]{22}`),
			Group:       1,
			MinEntropy:  3.5,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  Medium,
			Remediation: travisRem,
			TruePositives: []string{
				`TRAVIS_API_TOKEN=czGiY2UBCe9sbNx2wdnKU3`,
				`travis_token: "PjCBNx2L84wJhkyGsbqf2R"`,
				`System.setProperty("TRAVIS_TOKEN", "U9jkxuHnKe1bczJRNDrBI2")`,
			},
			FalsePositives: []string{
				`TRAVIS_API_TOKEN=xxxxxxxxxxxxxxxxxxxxxx`,
				`TRAVIS_BUILD_DIR=/home/travis/build/acme`,
				`TRAVIS_API_TOKEN=czGiY2UBCe9sbNx2wdnKU3abcd`,
			},
		},
	}
}

// droneCIRules returns the rules for Drone CI.
func droneCIRules() []Rule {
	droneRem := Remediation{
		What:          "A Drone CI personal token that acts as its user on the Drone server API, including secrets and build management.",
		RevokeURL:     "https://<DRONE_SERVER>/account",
		Revoke:        "Rotate the token: the API call below (authenticated by the token) issues a new one and invalidates the old.",
		RevokeCommand: `curl -X POST -H "Authorization: Bearer <TOKEN>" "https://<DRONE_SERVER>/api/user/token?rotate=true"`,
		Rotate:        "Update DRONE_TOKEN in the CLI configuration and scripts with the new token.",
		Misuse:        "Review the Drone server logs and the builds and secrets changed by the user.",
		DocsURL:       "https://docs.drone.io/cli/setup/",
	}

	return []Rule{
		Rule{
			ID:          "drone-ci-token",
			Provider:    "Drone CI",
			Description: "Drone CI personal token, 32 alphanumeric characters assigned to a name mentioning drone. Format: https://docs.drone.io/cli/setup/",
			Keywords:    []string{"drone"},
			Pattern:     assigned(`drone`, `[A-Za-z0-9]{32}`),
			Group:       1,
			MinEntropy:  3.8,
			Validators:  []Validator{HasLetterAndDigit, NotHexOnly},
			Confidence:  Medium,
			Remediation: droneRem,
			TruePositives: []string{
				`export DRONE_TOKEN=2loX26YPoA2j1wdF2RYrLdC3Jhhx45Kz`,
				`  drone_token: "3kVJwSlUpFMP8xck4HDosaNhPrH3sJGd"`,
				`DRONE_TOKEN: dDJRIC8u8ZvXnJXtCO8OMi944KVC9CLK`,
			},
			FalsePositives: []string{
				`export DRONE_TOKEN=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`export DRONE_SERVER=https://drone.acme.io`,
				`export DRONE_TOKEN=2loX26YPoA2j1wdF2RYrLdC3Jhhx45Kzabcd`,
				`drone_commit_sha: 3f9a0c7e51b28d46e0a9b7d41e09c3a5`,
			},
		},
	}
}

// sourcegraphRules returns the rules for Sourcegraph.
func sourcegraphRules() []Rule {
	sourcegraphRem := Remediation{
		What:          "A Sourcegraph access token that acts as its user on the Sourcegraph API: code search over every repository the user can read.",
		RevokeURL:     "https://sourcegraph.com/user/settings/tokens",
		Revoke:        "Delete the token in User settings > Access tokens (site admins can delete any user's tokens), or with the GraphQL API authenticated by the token itself.",
		RevokeCommand: `src api -query 'mutation { deleteAccessToken(byToken: "<TOKEN>") { alwaysNil } }'`,
		Rotate:        "Create a new token and update SRC_ACCESS_TOKEN in the tools that use it.",
		Misuse:        "Review the instance's security event logs (Site admin > Analytics > Security events) for the user.",
		DocsURL:       "https://sourcegraph.com/docs/cli/how-tos/creating_an_access_token",
	}

	return []Rule{
		Rule{
			ID:          "sourcegraph-access-token",
			Provider:    "Sourcegraph",
			Description: "Sourcegraph access token, sgp_ + [instance ID _ | local_] + 40 hex characters. Format: https://sourcegraph.com/docs/cli/how-tos/creating_an_access_token",
			Keywords:    []string{"sgp_"},
			Pattern:     uniqueToken(`sgp_(?:local_|[0-9a-fA-F]{16}_)?[0-9a-fA-F]{40}`, wordChars),
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  High,
			Remediation: sourcegraphRem,
			TruePositives: []string{
				`SRC_ACCESS_TOKEN=sgp_eb49e1a2c1daa42726d49ba29d5dd48491325832`,
				`src login https://sourcegraph.acme.io --token sgp_db1de7ef8e92a53c_0da1d89ea7ce1ad21eb4a32b274115d52e3b7665`,
				`  "token": "sgp_local_be641951c00f3183c5cbe2a618ebb6f818c22fad"`,
			},
			FalsePositives: []string{
				`SRC_ACCESS_TOKEN=sgp_5555555dAAAAA7777777CcccCFaaaaaaaaaaaaaa`,
				`SRC_ACCESS_TOKEN=sgp_652d9a2e48FC7E!FcDbEA1BC2E2A6CE23cFe7F7D`,
				`SRC_ACCESS_TOKEN=sgp_local_d45b6G86aBb0F2Cee943902dbaDBCFCFDD1dA089`,
			},
		},
	}
}

// readMeRules returns the rules for ReadMe.
func readMeRules() []Rule {
	readmeRem := Remediation{
		What:          "A ReadMe API key that reads and changes a project's documentation, API definitions and metrics.",
		RevokeURL:     "https://dash.readme.com/project/<PROJECT>/api-key",
		Revoke:        "Revoke the key in the project dashboard under API Keys.",
		RevokeCommand: "",
		Rotate:        "Create a new key and update RDME_API_KEY in CI (rdme).",
		Misuse:        "Review the project's changelog and page history for edits you did not make.",
		DocsURL:       "https://docs.readme.com/main/reference/intro/authentication",
	}

	return []Rule{
		Rule{
			ID:          "readme-api-key",
			Provider:    "ReadMe",
			Description: "ReadMe API key, rdme_ + 70 lower-case alphanumeric characters. Format: https://docs.readme.com/main/reference/intro/authentication",
			Keywords:    []string{"rdme_"},
			Pattern:     uniqueToken(`rdme_[a-z0-9]{70}`, wordChars),
			Group:       1,
			MinEntropy:  4.0,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  High,
			Remediation: readmeRem,
			TruePositives: []string{
				`RDME_API_KEY=rdme_7pu3bpdyprfj2hj2vzlm70bp9suk4ssnp72hwwpwpamtbmjguhi73kobik1dqxbuugqjpl`,
				`rdme openapi upload spec.yaml --key=rdme_fghqcuthxhz5fazwp58w3321y4xfrdk7vekp7zs10tgxts4p1897hf028mo34b19wb5sy2`,
				`  readme_api_key: "rdme_ri5hybnmiajfvdekr8hwmyswi9me4f82whs7p659d6setav7l2xj6q7i6s0botr62acwrn"`,
			},
			FalsePositives: []string{
				`const API_KEY = 'rdme_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX';`,
				`RDME_API_KEY=rdme_q7rt2lmx9pkv`,
				`RDME_API_KEY=rdme_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
			},
		},
	}
}
