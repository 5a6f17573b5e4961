package scanner

// npmRules returns the rules for npm.
func npmRules() []Rule {
	npmRem := Remediation{
		What:          "An npm access token that can read, and for publish tokens publish, packages as its user on registry.npmjs.org.",
		RevokeURL:     "https://www.npmjs.com/settings/<USERNAME>/tokens",
		Revoke:        "Delete the token on npmjs.com under Access Tokens, or with the npm CLI (npm token list shows the token IDs).",
		RevokeCommand: "npm token revoke <TOKEN_ID>",
		Rotate:        "Create a granular access token limited to the packages and scopes needed, with an expiry (or use trusted publishing from CI), and update NPM_TOKEN / .npmrc in CI.",
		Misuse:        "Check the versions and publish times of your packages (npm view <PACKAGE> time) and the account's security events for publishes you did not make.",
		DocsURL:       "https://docs.npmjs.com/revoking-access-tokens",
	}

	return []Rule{
		Rule{
			ID:          "npm-access-token",
			Provider:    "npm",
			Description: "npm access token, npm_ + 30 base62 characters + a 6-character base62 CRC-32 checksum. Format: https://github.blog/changelog/2021-09-23-npm-has-a-new-access-token-format/",
			Keywords:    []string{"npm_"},
			Pattern:     uniqueToken(`npm_[A-Za-z0-9]{36}`, wordChars),
			Group:       1,
			Validators:  []Validator{ValidCRC32Token},
			Confidence:  High,
			Remediation: npmRem,
			TruePositives: []string{
				`//registry.npmjs.org/:_authToken=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`,
				`NPM_TOKEN=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`,
				`  NODE_AUTH_TOKEN: "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"`,
			},
			FalsePositives: []string{
				`NPM_TOKEN=npm_wewmKQQIgfDkgmBzGSf5m3vXzNuVr84PScRA`,
				`npm_token: 'npm_wewmKQQIgfDkgmBzGSf5m3vXzNuVr84PScRA'`,
				`//registry.npmjs.org/:_authToken=${NPM_TOKEN}`,
				`NPM_TOKEN=npm_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
			},
		},
	}
}

// pypiRules returns the rules for PyPI.
func pypiRules() []Rule {
	pypiRem := Remediation{
		What:          "A PyPI API token that uploads releases of one project or of every project of its account.",
		RevokeURL:     "https://pypi.org/manage/account/token/",
		Revoke:        "Remove the token in Account settings > API tokens on pypi.org (test.pypi.org for tokens of TestPyPI).",
		RevokeCommand: "",
		Rotate:        "Prefer trusted publishing (OIDC) from CI; otherwise create a project-scoped token and update the CI secret used by twine or uv publish.",
		Misuse:        "Review the account's Security history (https://pypi.org/manage/account/#account-events) and each project's release history for uploads you did not make.",
		DocsURL:       "https://pypi.org/help/#apitoken",
	}

	return []Rule{
		Rule{
			ID:          "pypi-upload-token",
			Provider:    "PyPI",
			Description: "PyPI (or TestPyPI) API token, a macaroon: pypi- + base64 starting AgEIcHlwaS5vcmc (pypi.org) or AgENdGVzdC5weXBpLm9yZw (test.pypi.org). Format: https://pypi.org/help/#apitoken",
			Keywords:    []string{"pypi-age"},
			Pattern:     uniqueToken(`pypi-AgE(?:IcHlwaS5vcmc|NdGVzdC5weXBpLm9yZw)[A-Za-z0-9_\-]{50,1000}`, tokenChars),
			Group:       1,
			MinEntropy:  4.0,
			Confidence:  High,
			Remediation: pypiRem,
			TruePositives: []string{
				`TWINE_PASSWORD=pypi-AgEIcHlwaS5vcmcY4jOVoHqmOMnqe1SGdoeWVJmL8JD0wAXBRlUgeq9YFgRENnNH2cjaI-Jt33Oh6X5_MwZeMWluHRaNwBVRco6IgC2-wNqwsZ1imcLJKJyoGTdoVYv_0k0b_nsgAhLarlKBD_FvTQxk5imY0f6sD6J6yX4dy13FdsdkRVy`,
				`password = pypi-AgEIcHlwaS5vcmcBSZLQhmnq9WWuFsDIC9a1KtVfrRVUieP6ejk2659HKuhAVFowli5W1S34rVUvxReWD9ZdKe5xBwI58jbhxzLFs6bBCjYtdBaindVpnaATlsS74uu93kraK_uw0QdAjtmiL56OtOp2YrJ6b-J85HG_OhjKxBMcYUA-RwEWSyu8F`,
				`UV_PUBLISH_TOKEN: "pypi-AgEIcHlwaS5vcmcVMoXiH-NvrW0I75bhUnZKyKVANBJcqOiw4VrTzcbj5S8jceEIXY7b7vcATqfNBh7s0mt27rBDSuKjdRQi_wA0BVP9DNbX3YMWdNswQyx7lD9oc7Gzvk_rxGVjvFOtKtursZCVd1ui0teS_SezLz3qkMdRY9n4yMkdKWP5-6liVP4ZE-KO7jQ1mGPj"`,
			},
			FalsePositives: []string{
				`password = pypi-AgEIcHlwaS5vcmc`,
				`password = pypi-AgEIcHlwaS5vcmcxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`password = pypi-<your-token>`,
			},
		},
	}
}

// rubygemsRules returns the rules for RubyGems.
func rubygemsRules() []Rule {
	rubyRem := Remediation{
		What:          "A RubyGems.org API key that pushes, yanks or manages gems and owners as its user, within its scopes.",
		RevokeURL:     "https://rubygems.org/profile/api_keys",
		Revoke:        "Delete the key on rubygems.org under Edit profile > API keys.",
		RevokeCommand: "",
		Rotate:        "Create a scoped key limited to the gem (or use trusted publishing from CI) and update GEM_HOST_API_KEY / ~/.gem/credentials.",
		Misuse:        "Check your gems' version histories and the owner lists on rubygems.org for changes you did not make.",
		DocsURL:       "https://guides.rubygems.org/api-key-scopes/",
	}

	return []Rule{
		Rule{
			ID:          "rubygems-api-key",
			Provider:    "RubyGems",
			Description: "RubyGems.org API key, rubygems_ + 48 hex characters. Format: https://guides.rubygems.org/api-key-scopes/",
			Keywords:    []string{"rubygems_"},
			Pattern:     uniqueToken(`rubygems_[0-9a-f]{48}`, tokenChars),
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  High,
			Remediation: rubyRem,
			TruePositives: []string{
				`GEM_HOST_API_KEY=rubygems_256b48629df8f90fe8af5ef489e8a8a25db03618c52bcc3b`,
				`:rubygems_api_key: rubygems_80e8ea2185b16d9e0603c2ec649fc0d097e0f64da82bf93a`,
				`  api_key: "rubygems_ef0ed611366974f6c1f4c1818b006002aa543bbb10dec00e"`,
			},
			FalsePositives: []string{
				`GEM_HOST_API_KEY=rubygems_000000000000000000000000000000000000000000000000`,
				`GEM_HOST_API_KEY=rubygems_3f9a0c7e51b28d46e0a9`,
				`GEM_HOST_API_KEY=rubygems_<api-key>`,
			},
		},
	}
}

// nuGetRules returns the rules for NuGet.
func nuGetRules() []Rule {
	nugetRem := Remediation{
		What:          "A NuGet.org API key that pushes or unlists packages matching its glob pattern for its owner.",
		RevokeURL:     "https://www.nuget.org/account/apikeys",
		Revoke:        "Delete (or regenerate) the key on nuget.org under API Keys.",
		RevokeCommand: "",
		Rotate:        "Create a key limited to the packages and the push scope needed, with an expiry (or use trusted publishing), and update the CI secret.",
		Misuse:        "Review the package versions and owners of the account's packages on nuget.org for changes you did not make.",
		DocsURL:       "https://learn.microsoft.com/nuget/nuget-org/scoped-api-keys",
	}

	return []Rule{
		Rule{
			ID:          "nuget-api-key",
			Provider:    "NuGet",
			Description: "NuGet.org API key, oy2 + 43 lower-case base32 characters. Format: https://learn.microsoft.com/nuget/nuget-org/scoped-api-keys",
			Keywords:    []string{"oy2"},
			Pattern:     uniqueToken(`oy2[a-z2-7]{43}`, wordChars),
			Group:       1,
			MinEntropy:  3.8,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  High,
			Remediation: nugetRem,
			TruePositives: []string{
				`dotnet nuget push pkg.nupkg --api-key oy27vo2leuihtmcahn4njmfl3bqu6bzpgsbokgx4tovngn --source https://api.nuget.org/v3/index.json`,
				`NUGET_API_KEY=oy2jlusbmc3ydzyblsxefpgpbbg72lxoncl23iz74lm6zi`,
				`<add key="ApiKey" value="oy22l4p2aufufymnuknaoryyfwkjx6onotakens5xasz36" />`,
			},
			FalsePositives: []string{
				`NUGET_API_KEY=oy2aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa`,
				`NUGET_API_KEY=oy27vo2leuihtmcahn4njmfl3bqu6bzpgsbokgx4tovngnab`,
				`NUGET_API_KEY=oy23f9a0c7e51b28d46e0a9`,
			},
		},
	}
}

// dockerHubRules returns the rules for Docker Hub.
func dockerHubRules() []Rule {
	const glChars = `[A-Za-z0-9_\-]`
	dockerRem := Remediation{
		What:          "A Docker Hub access token that pulls and pushes images (and for some scopes deletes them) as its user.",
		RevokeURL:     "https://app.docker.com/settings/personal-access-tokens",
		Revoke:        "Deactivate and delete the token in Account settings > Personal access tokens.",
		RevokeCommand: `curl -X DELETE -H "Authorization: Bearer <HUB_JWT>" https://hub.docker.com/v2/access-tokens/<TOKEN_UUID>`,
		Rotate:        "Create a new token with the least access (read-only where possible) and update docker login credentials in CI.",
		Misuse:        "Check the token's Last used date in the token list and the organization's activity logs for pushes and deletions you did not make.",
		DocsURL:       "https://docs.docker.com/security/access-tokens/",
	}
	dockerOrgRem := dockerRem
	dockerOrgRem.What = "A Docker Hub organization access token that pulls or pushes the organization's repositories it is scoped to."
	dockerOrgRem.RevokeURL = "https://app.docker.com/admin"
	dockerOrgRem.Revoke = "As an organization owner, deactivate or delete the token in Admin Console > Access tokens."
	dockerOrgRem.RevokeCommand = `curl -X DELETE -H "Authorization: Bearer <HUB_JWT>" https://hub.docker.com/v2/orgs/<ORG>/access-tokens/<TOKEN_ID>`
	dockerOrgRem.DocsURL = "https://docs.docker.com/security/access-tokens/organization-access-tokens/"

	return []Rule{
		Rule{
			ID:          "dockerhub-pat",
			Provider:    "Docker Hub",
			Description: "Docker Hub personal access token, dckr_pat_ + 27 base64url characters. Format: https://docs.docker.com/security/access-tokens/",
			Keywords:    []string{"dckr_pat_"},
			Pattern:     uniqueToken(`dckr_pat_`+glChars+`{27}`, tokenChars),
			Group:       1,
			MinEntropy:  3.5,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  High,
			Remediation: dockerRem,
			TruePositives: []string{
				`echo dckr_pat_RZ7ajN6-lEoYfhAdSq3y-AdpNgx | docker login -u acme --password-stdin`,
				`DOCKERHUB_TOKEN=dckr_pat_qgE4NA4FfTvIR1EWgP_m3KYQjY_`,
				`  password: "dckr_pat_LTmEdNton1qBqj9Fy0iWZ46sQZU"`,
			},
			FalsePositives: []string{
				`DOCKERHUB_TOKEN=dckr_pat_xxxxx`,
				`DOCKERHUB_TOKEN=dckr_pat_124509ugsdjga93`,
				`DOCKERHUB_TOKEN=dckr_pat_xxxxxxxxxxxxxxxxxxxxxxxxxxx`,
			},
		},
		Rule{
			ID:          "dockerhub-oat",
			Provider:    "Docker Hub",
			Description: "Docker Hub organization access token, dckr_oat_ + base64url characters. Format: https://docs.docker.com/security/access-tokens/organization-access-tokens/",
			Keywords:    []string{"dckr_oat_"},
			Pattern:     uniqueToken(`dckr_oat_`+glChars+`{27,40}`, tokenChars),
			Group:       1,
			MinEntropy:  3.5,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  High,
			Remediation: dockerOrgRem,
			TruePositives: []string{
				`DOCKER_API_TOKEN=dckr_oat_UaEAiY5oM7Ppmb2369544bLmXmVWHs8d`,
				`echo "dckr_oat_2hSg1mvt8pxExgeCMqIMgoXGwCeaoXyc" | docker login -u acme-org --password-stdin`,
				`  registry_password: 'dckr_oat_ZsS70a50DzlGIDO492G8PcCMy35iDCIB'`,
			},
			FalsePositives: []string{
				`DOCKER_API_TOKEN=dckr_oat_...`,
				`DOCKER_API_TOKEN=dckr_oat_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`DOCKER_API_TOKEN=dckr_oat_q7Rt2LmX9pKv`,
			},
		},
	}
}

// jFrogRules returns the rules for JFrog.
func jFrogRules() []Rule {
	jfrogRem := Remediation{
		What:          "A JFrog Artifactory credential that reads and deploys artifacts as its user.",
		RevokeURL:     "https://<SERVER>.jfrog.io/ui/user_profile",
		Revoke:        "Revoke the API key (or the reference token) in Edit Profile; administrators can revoke any token under Administration > User Management > Access Tokens.",
		RevokeCommand: `curl -X DELETE -H "Authorization: Bearer <ADMIN_TOKEN>" https://<SERVER>.jfrog.io/access/api/v1/tokens/<TOKEN_ID>`,
		Rotate:        "Create an access token scoped to the repositories needed, with an expiry, and update the build tool credentials (settings.xml, .npmrc, pip.conf).",
		Misuse:        "Review Artifactory's access and request logs (Administration > Monitoring > Log Analytics) for downloads and deploys you did not make.",
		DocsURL:       "https://jfrog.com/help/r/jfrog-platform-administration-documentation/access-tokens",
	}

	return []Rule{
		Rule{
			ID:          "jfrog-api-key",
			Provider:    "JFrog",
			Description: "JFrog Artifactory API key (deprecated), AKCp + 69 alphanumeric characters. Format: https://jfrog.com/help/r/jfrog-platform-administration-documentation/api-key",
			Keywords:    []string{"akcp"},
			Pattern:     uniqueToken(`AKCp[A-Za-z0-9]{69}`, wordChars),
			Group:       1,
			MinEntropy:  4.0,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  High,
			Remediation: jfrogRem,
			TruePositives: []string{
				`curl -H "X-JFrog-Art-Api: AKCp2gFsew8cwkPHP5mPG6dSJYCUCQMxoXAdQqraR4E94xGKpD0pxbW9RhMy0rRmjXcu2dt0u" https://acme.jfrog.io/artifactory/api/repositories`,
				`ARTIFACTORY_API_KEY=AKCpH4FLvbW7SalkyzrLw3s2m71aUjCkUxqB6An7Is7DNaNtizuC5vuGr5uJTqUJYu9i3Cz5K`,
				`<password>AKCpkyCMuP0kycN40Xx4a3DKB3uQAM4hExi5HjZ6TeM3alnKW7DIXbhtU4RDjdJfw67O3JBvu</password>`,
			},
			FalsePositives: []string{
				`ARTIFACTORY_API_KEY=AKCpXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX`,
				`ARTIFACTORY_API_KEY=AkCp2gFsew8cwkPHP5mPG6dSJYCUCQMxoXAdQqraR4E94xGKpD0pxbW9RhMy0rRmjXcu2dt0u`,
				`ARTIFACTORY_API_KEY=AKCpq7Rt2LmX9pKv4WzN8bYc3HdJ6fGs1A`,
			},
		},
		Rule{
			ID:          "jfrog-reference-token",
			Provider:    "JFrog",
			Description: "JFrog access (reference) token, 64 characters of base64 of reftkn:01:..., so it starts cmVmdGtuOjAx. Format: https://jfrog.com/help/r/jfrog-platform-administration-documentation/access-tokens",
			Keywords:    []string{"cmvmdgtu"},
			Pattern:     uniqueToken(`cmVmdGtuOjAx[A-Za-z0-9]{52}`, wordChars),
			Group:       1,
			MinEntropy:  4.0,
			Confidence:  High,
			Remediation: jfrogRem,
			TruePositives: []string{
				`JFROG_ACCESS_TOKEN=cmVmdGtuOjAxOjMTgzOTI0MTI5Nzq1vOrqa58Jefc0bwzaIFgyAvMpjMZ8X01UM2`,
				`jf c add acme --url https://acme.jfrog.io --access-token cmVmdGtuOjAxOjMTg2OTMwMjIyMzobP8Q0M2aXE7gwNwk5Oe8zh38vYaTQL8xc9A`,
				`  "token": "cmVmdGtuOjAxOjMTg1MTA3NTg5MjqUJxlcIxm1frJ54TwTfjM48LTSnBssTosboj"`,
			},
			FalsePositives: []string{
				`JFROG_ACCESS_TOKEN=cmVmdGtuOjAxXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX`,
				`JFROG_ACCESS_TOKEN=cmVmdGtuOjAxq7Rt2LmX9pKv4WzN8bYc3HdJ6fGs1A`,
				`JFROG_ACCESS_TOKEN=cmVMdGtuOjAxOjMTgzOTI0MTI5Nzq1vOrqa58Jefc0bwzaIFgyAvMpjMZ8X01UM2`,
			},
		},
	}
}

// clojarsRules returns the rules for Clojars.
func clojarsRules() []Rule {
	clojarsRem := Remediation{
		What:          "A Clojars deploy token that deploys artifacts to the groups it is scoped to.",
		RevokeURL:     "https://clojars.org/tokens",
		Revoke:        "Disable the token on clojars.org under Deploy Tokens.",
		RevokeCommand: "",
		Rotate:        "Create a token scoped to the group or artifact and update the deploy credentials (CLOJARS_PASSWORD) in CI.",
		Misuse:        "Check the version history of the group's artifacts on clojars.org.",
		DocsURL:       "https://github.com/clojars/clojars-web/wiki/Deploy-Tokens",
	}

	return []Rule{
		Rule{
			ID:          "clojars-deploy-token",
			Provider:    "Clojars",
			Description: "Clojars deploy token, CLOJARS_ + 60 lower-case alphanumeric characters. Format: https://github.com/clojars/clojars-web/wiki/Deploy-Tokens",
			Keywords:    []string{"clojars_"},
			Pattern:     uniqueToken(`CLOJARS_[a-z0-9]{60}`, wordChars),
			Group:       1,
			MinEntropy:  3.5,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  High,
			Remediation: clojarsRem,
			TruePositives: []string{
				`CLOJARS_PASSWORD=CLOJARS_263ot7mnjp5fposznvknuct7ys2rxlqf9nfq32sboyxm5ifxu0p7oxwrfkom`,
				`:password "CLOJARS_4b1a4zatsz6q5fav1y7bafodxg5bacf14rupb9tfm3v24k7u3j8epgqj9kls"`,
				`  clojars_token: 'CLOJARS_uv3o2wp04590jhn9vguw8n4bw4f49yn25cvtqivfudlmg3ky5hu9y4o4l4g5'`,
			},
			FalsePositives: []string{
				`CLOJARS_PASSWORD=CLOJARS_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`CLOJARS_PASSWORD=CLOJARS_q7rt2lmx9pkv`,
				`CLOJARS_PASSWORD=${CLOJARS_DEPLOY_TOKEN}`,
			},
		},
	}
}

// cratesRules returns the rules for crates.io.
func cratesRules() []Rule {
	cratesRem := Remediation{
		What:          "A crates.io API token that publishes, yanks and manages owners of crates as its user, within its scopes.",
		RevokeURL:     "https://crates.io/settings/tokens",
		Revoke:        "Revoke the token on crates.io under Account Settings > API Tokens.",
		RevokeCommand: "",
		Rotate:        "Create a token scoped to the crates and endpoints needed, with an expiry (or use trusted publishing), and update CARGO_REGISTRY_TOKEN in CI.",
		Misuse:        "Check the crates' version histories on crates.io and the account's e-mail notifications of publishes.",
		DocsURL:       "https://doc.rust-lang.org/cargo/reference/publishing.html",
	}

	return []Rule{
		Rule{
			ID:          "crates-io-token",
			Provider:    "crates.io",
			Description: "crates.io API token, cio + 32 alphanumeric characters. Format: https://github.com/rust-lang/crates.io/pull/6281",
			Keywords:    []string{"cio"},
			Pattern:     uniqueToken(`cio[A-Za-z0-9]{32}`, wordChars),
			Group:       1,
			MinEntropy:  4.0,
			Validators:  []Validator{HasLetterAndDigit, HasMixedCase},
			Confidence:  Medium,
			Remediation: cratesRem,
			TruePositives: []string{
				`CARGO_REGISTRY_TOKEN=ciouL2duwKo4oPycQMdPpvZbxZZaT88O1pg`,
				`cargo login cio2byFtPawlHOunpRPDHa1HkizingbfGBC`,
				`token = "cioLnULIT5tALkHHC4Vb1hoFvfePcz21ku0"`,
			},
			FalsePositives: []string{
				`CARGO_REGISTRY_TOKEN=cioxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`CARGO_REGISTRY_TOKEN=cioq7Rt2LmX9pKv`,
				`let precision_value = "cio3f9a0c7e51b28d46e0a93f9a0c7e51b28d46e0a9";`,
			},
		},
	}
}
