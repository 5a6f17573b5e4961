package scanner

// gcpRules returns the rules for Google Cloud.
func gcpRules() []Rule {
	gcpAPIKey := Remediation{
		What:          "A Google Cloud API key: it bills and authorises calls to every API it is not restricted from, in the project that owns it.",
		RevokeURL:     "https://console.cloud.google.com/apis/credentials",
		Revoke:        "In APIs & Services > Credentials find the key (Show key), then Delete it; if it must stay briefly, add API and application restrictions first.",
		RevokeCommand: "gcloud services api-keys delete <KEY_ID> --project=<PROJECT_ID>",
		Rotate:        "Create a new key restricted to the needed APIs and to your apps/referrers/IPs (`gcloud services api-keys create --api-target=service=<SERVICE> ...`), deploy it, then delete the old one. Firebase web config keys are public by design but must be API-restricted.",
		Misuse:        "APIs & Services > Metrics and each API's quotas filtered by credential, the Billing reports for spikes, and Cloud Audit Logs for the APIs that log key-authenticated calls.",
		DocsURL:       "https://cloud.google.com/docs/authentication/api-keys",
	}
	gcpOAuth := Remediation{
		What:          "A Google OAuth 2.0 client secret: it lets anyone impersonate your application in OAuth flows and redeem authorization codes or refresh tokens issued to it.",
		RevokeURL:     "https://console.cloud.google.com/auth/clients",
		Revoke:        "Open Google Auth Platform > Clients > (client), Add secret, deploy the new secret, then Disable and Delete the leaked one (or delete the whole client).",
		RevokeCommand: "",
		Rotate:        "Client secrets can be rotated in place: add a second secret, switch the app over, disable and delete the old secret.",
		Misuse:        "Cloud Audit Logs of the APIs the client calls, and for Workspace the Admin console > Reporting > Audit > OAuth log events filtered by the client ID.",
		DocsURL:       "https://developers.google.com/identity/protocols/oauth2",
	}
	gcpSA := Remediation{
		What:          "A Google Cloud service account key file: its private key signs tokens with every IAM role granted to the service account.",
		RevokeURL:     "https://console.cloud.google.com/iam-admin/serviceaccounts",
		Revoke:        "IAM & Admin > Service accounts > (account) > Keys: find the key by the private_key_id, Disable it, then Delete it.",
		RevokeCommand: "gcloud iam service-accounts keys delete <KEY_ID> --iam-account=<SA_EMAIL>",
		Rotate:        "Avoid keys: use Workload Identity Federation or attached service accounts. If a key is unavoidable, create a new one, deploy it from Secret Manager, then delete the leaked one.",
		Misuse:        "Cloud Logging > Logs Explorer with protoPayload.authenticationInfo.serviceAccountKeyName containing <KEY_ID> (Cloud Audit Logs), and the Policy Intelligence service account key usage insights.",
		DocsURL:       "https://cloud.google.com/iam/docs/keys-create-delete",
	}
	gcpAccessToken := Remediation{
		What:          "A Google OAuth 2.0 access token: a bearer token for the Google APIs in its scopes, valid for about an hour.",
		RevokeURL:     "https://myaccount.google.com/connections",
		Revoke:        "Revoke the token at Google's revocation endpoint; for a user grant also remove the app at Google Account > Security > Third-party connections, which revokes its refresh tokens.",
		RevokeCommand: "curl -X POST -d token=<TOKEN> https://oauth2.googleapis.com/revoke",
		Rotate:        "Do not store access tokens; have the application obtain them from its credentials at run time.",
		Misuse:        "Cloud Audit Logs (Logs Explorer) for the principal the token was issued to, and for Workspace the Admin console OAuth token audit log.",
		DocsURL:       "https://developers.google.com/identity/protocols/oauth2",
	}

	return []Rule{
		{
			ID:          "gcp-api-key",
			Provider:    "Google Cloud",
			Description: "Google API key: AIza followed by 35 URL-safe base64 characters. Format: https://cloud.google.com/docs/authentication/api-keys",
			Keywords:    []string{"aiza"},
			Pattern:     uniqueToken(`AIza[A-Za-z0-9_-]{35}`, `A-Za-z0-9_-`),
			Group:       1,
			MinEntropy:  3.8,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  High,
			Remediation: gcpAPIKey,
			TruePositives: []string{
				"GOOGLE_MAPS_API_KEY=AIzaSy8o0AylbTULzY7POr1db4DTmHiOs3fxAFm",
				`url = "https://maps.googleapis.com/maps/api/geocode/json?key=AIzaSyxJ8HazSTio410xti1Tbr_bUVxtqXKa9fA"`,
				"  apiKey: 'AIzaSyFx3RnDRM7Q5Zb1ihmIjSaYMqwGIb7d5SD',",
			},
			FalsePositives: []string{
				`apiKey: "AIzaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"`,
				"AIzaSyabcdefghijklmnopqrstuvwxyz1234567",
				"key=AIzaSyABZ5PGSfREWEJgXLkfXQ66h40diW2UIDMabcd",
				"AIzaSyYOUR_API_KEY_HERE_000000000000000",
			},
		},
		{
			ID:          "gcp-oauth-client-secret",
			Provider:    "Google Cloud",
			Description: "Google OAuth 2.0 client secret: GOCSPX- followed by 28 URL-safe base64 characters. Format: https://developers.google.com/identity/protocols/oauth2",
			Keywords:    []string{"gocspx-"},
			Pattern:     uniqueToken(`GOCSPX-[A-Za-z0-9_-]{28}`, `A-Za-z0-9_-`),
			Group:       1,
			MinEntropy:  3.5,
			Confidence:  High,
			Remediation: gcpOAuth,
			TruePositives: []string{
				`{"web":{"client_id":"1234-abc.apps.googleusercontent.com","client_secret":"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"}}`,
				"GOOGLE_CLIENT_SECRET=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",
				"client_secret: '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'",
			},
			FalsePositives: []string{
				"GOOGLE_CLIENT_SECRET=GOCSPX-xxxxxxxxxxxxxxxxxxxxxxxxxxxx",
				"GOOGLE_CLIENT_SECRET=GOCSPX-<your-client-secret>",
				"GOOGLE_CLIENT_SECRET=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X",
			},
		},
		{
			ID:          "gcp-service-account-key-id",
			Provider:    "Google Cloud",
			Description: "Google Cloud service account key file, found by its \"private_key_id\" field (40 hex characters); the private key itself is reported by the private-key rules. Format: https://cloud.google.com/iam/docs/keys-create-delete",
			Keywords:    []string{"private_key_id"},
			Pattern:     `"private_key_id"\s{0,5}:\s{0,5}"([0-9a-f]{40})"`,
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  Medium,
			Remediation: gcpSA,
			TruePositives: []string{
				`  "private_key_id": "45f0a443b04d6aff141eed10cef24c99faf915aa",`,
				`{"type": "service_account", "project_id": "billing-prod", "private_key_id": "3c7dfdfa86d0526a4a3370d084dcb0b33d62b47c", "client_email": "ci@billing-prod.iam.gserviceaccount.com"}`,
				`"private_key_id":"f0ff6a872cb916429990e524c8b8c51e6046f6a3"`,
			},
			FalsePositives: []string{
				`  "private_key_id": "<private-key-id>",`,
				`  "private_key_id": "",`,
				`  "private_key_id": "6c5e44a102cba4c803a62befb941a1e0822830cfab",`,
				`  "private_key_id": "0000000000000000000000000000000000000000",`,
			},
		},
		{
			ID:          "gcp-oauth-access-token",
			Provider:    "Google Cloud",
			Description: "Google OAuth 2.0 access token (ya29.…), a bearer token for Google APIs. Format: https://cloud.google.com/docs/authentication/token-types#access",
			Keywords:    []string{"ya29."},
			Pattern:     uniqueToken(`ya29\.[A-Za-z0-9_-]{60,1000}`, `A-Za-z0-9_.-`),
			Group:       1,
			MinEntropy:  4.0,
			Confidence:  High,
			Remediation: gcpAccessToken,
			TruePositives: []string{
				"Authorization: Bearer ya29.a07dVp7y36ZgpWjwKEZNsMv4sBgCOW8eW7xOV4YOqFeXgMTP8JU5GtNYk7f0zhUi3HMzOoPIknEUN8n9fP0U-wRFAN8i8KuD0KQzJLrW4gdPnBZpRnV4rKtxqBneMB9R7Dx1h0lTtZg5_jbcu54Tj4Be7gVsHfEnYa318kYMGp4b",
				`access_token = "ya29.a0CS-kVGjB4cUpck8ogIAnbq5JpQGRxMsCkAs4hFCJloy_6KMCsOQuaj2q3cfK1n5kGss5eBGKpJgugjKhVfpwoZcxG8LoSRTtOvekRD1Tovkl8BgX7wqSifjPYnQgasrvhkun2uKy4P5gwxyDC1FKtRiEwjF8M9361sKUYD4b-A"`,
				`{"access_token": "ya29.a0sqXJiyeShNMHUC4rFhD5vDvnR8Ift7OGdt2GNvtTO8meAxp3iLvW5ST__zL5LQRYmmYctWjZ4h2FMmQXsnKQeJabsXJ3GE-bT__WZeXNYi8RrWV3EM_VBTsqg7xwW1zkCDxdhD42m0UG_Z_PKvmMJHGq9IuM9CDVORv9Dj2pKl", "expires_in": 3599}`,
			},
			FalsePositives: []string{
				"Authorization: Bearer ya29.a0AfH6SMBx...",
				"token = ya29.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
				"Authorization: Bearer ya29.$ACCESS_TOKEN",
			},
		},
	}
}

// firebaseRules returns the rules for Firebase.
func firebaseRules() []Rule {
	fcm := Remediation{
		What:          "A Firebase Cloud Messaging legacy server key: it sends push notifications to every device registered with the Firebase project.",
		RevokeURL:     "https://console.firebase.google.com/project/_/settings/cloudmessaging",
		Revoke:        "In Firebase console > Project settings > Cloud Messaging delete the legacy server key (and disable the legacy Cloud Messaging API); delete the matching key in Google Cloud > APIs & Services > Credentials if one is listed.",
		RevokeCommand: "",
		Rotate:        "Migrate to the FCM HTTP v1 API, which authenticates with short-lived OAuth tokens from a service account instead of a static server key.",
		Misuse:        "Firebase console > Cloud Messaging reports for unexpected sends, and Cloud Audit Logs of fcm.googleapis.com.",
		DocsURL:       "https://firebase.google.com/docs/cloud-messaging/migrate-v1",
	}

	return []Rule{
		{
			ID:          "firebase-cloud-messaging-server-key",
			Provider:    "Firebase",
			Description: "Firebase Cloud Messaging legacy server key: AAAA + 7 characters, a colon, and APA91b…. Format: https://firebase.google.com/docs/cloud-messaging/migrate-v1",
			Keywords:    []string{"apa91b"},
			Pattern:     uniqueToken(`AAAA[A-Za-z0-9_-]{7}:APA91b[A-Za-z0-9_-]{120,200}`, `A-Za-z0-9_-`),
			Group:       1,
			MinEntropy:  4.0,
			Confidence:  High,
			Remediation: fcm,
			TruePositives: []string{
				"FCM_SERVER_KEY=AAAA-X5p803:APA91blPWb4hZeoutR59Z2dPjvOBkHaLWe5nFmB_lT2dr8UWvGaI1GA1gQgCZyDofWhQwakXKYckVxi_8tXzq3pfif9sqM0Hc94uLGQ3xc3GprI6eOW4lhoDVqMRoUjJ45HlpVxrtqtD",
				`headers: { Authorization: "key=AAAAC5oQ-r_:APA91bggGTPxa86ncrRBfNMlpTKHRrtKgEMV6lOBma6Lf1JlPnCU3HRl-4MbYl6Vwkg8J_04UtorjSPfLbnWmrgU5Jtu6PQCtH346i4QjUBlTBurdaRj8Hkvfw2xMzCGkZ8KEHJlG9Yx" }`,
				"  server_key: AAAATNTWttq:APA91bJqwM0_kVtXrWoWV0g0DezFLu-jDltMYXEEM_XMpnFNLsrf7qX0hGF8VxNR6s2fp5uinpF97SR3zaxQURFcKVypzGYLrNQfh-DPL8IiEeVPX_Gq9aD9Xgzb-rsm0FGwRAZHqsvD",
			},
			FalsePositives: []string{
				"FCM_SERVER_KEY=AAAAxxxxxxx:APA91bxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
				"registration_id = APA91bAAAA-X5p803:APA91blPWb4hZeoutR59Z2dPjvOBkHaLWe5nFmB_lT2dr8UWvGaI1GA1gQgCZyDofWhQwakXKYckVxi_8tXzq3pfif9sqM0Hc94uLGQ3xc3GprI6eOW4lhoDVqMRoUjJ45HlpVxrtqtD",
				"FCM_SERVER_KEY=AAAA1234567:APA91bShort",
			},
		},
	}
}

// azureRules returns the rules for Microsoft Azure.
func azureRules() []Rule {
	azStorage := Remediation{
		What:          "An Azure Storage account access key (shared key): full read, write and delete access to every blob, file, queue and table of the storage account.",
		RevokeURL:     "https://portal.azure.com/#view/HubsExtension/BrowseResource/resourceType/Microsoft.Storage%2FStorageAccounts",
		Revoke:        "Storage account > Security + networking > Access keys: move applications to the other key, then Rotate key on the leaked one (key1 or key2). Rotating also invalidates every service/account SAS signed with it.",
		RevokeCommand: "az storage account keys renew --resource-group <RESOURCE_GROUP> --account-name <ACCOUNT_NAME> --key <key1|key2>",
		Rotate:        "Prefer Microsoft Entra ID with managed identities and disable shared key authorization (`az storage account update --allow-shared-key-access false`); otherwise keep keys in Key Vault with a rotation reminder.",
		Misuse:        "Storage resource logs in Azure Monitor (StorageBlobLogs, StorageFileLogs, … with AuthenticationType == \"AccountKey\") and the Activity log for listKeys and configuration changes.",
		DocsURL:       "https://learn.microsoft.com/azure/storage/common/storage-account-keys-manage",
	}
	azSAS := Remediation{
		What:          "An Azure Storage shared access signature: a signed URL granting the listed permissions on the storage resource until its expiry (se=).",
		RevokeURL:     "https://portal.azure.com/#view/HubsExtension/BrowseResource/resourceType/Microsoft.Storage%2FStorageAccounts",
		Revoke:        "An ad hoc SAS cannot be revoked by itself: rotate the account key that signed it, revoke the user delegation keys for a user delegation SAS, or change/delete the stored access policy (si=) it refers to.",
		RevokeCommand: "az storage account keys renew --resource-group <RESOURCE_GROUP> --account-name <ACCOUNT_NAME> --key <key1|key2>  # or: az storage account revoke-delegation-keys --resource-group <RESOURCE_GROUP> --name <ACCOUNT_NAME>",
		Rotate:        "Issue short-lived user delegation SAS tokens at run time, or SAS tied to a stored access policy so they can be revoked; never commit SAS URLs.",
		Misuse:        "Storage resource logs in Azure Monitor with AuthenticationType == \"SAS\" for the account, filtered by the time window of the SAS.",
		DocsURL:       "https://learn.microsoft.com/azure/storage/common/storage-sas-overview",
	}
	azCosmos := Remediation{
		What:          "An Azure Cosmos DB account key: full (or, for a read-only key, read) access to every database and container of the account.",
		RevokeURL:     "https://portal.azure.com/#view/HubsExtension/BrowseResource/resourceType/Microsoft.DocumentDb%2FdatabaseAccounts",
		Revoke:        "Cosmos DB account > Settings > Keys: switch clients to the other key, then Regenerate the leaked primary or secondary key.",
		RevokeCommand: "az cosmosdb keys regenerate --resource-group <RESOURCE_GROUP> --name <ACCOUNT_NAME> --key-kind <primary|secondary|primaryReadonly|secondaryReadonly>",
		Rotate:        "Use Microsoft Entra ID role-based access with managed identities and disable key-based auth (disableLocalAuth), or keep keys in Key Vault and rotate regularly.",
		Misuse:        "Diagnostic settings > DataPlaneRequests logs (authTokenType = PrimaryMasterKey/SecondaryMasterKey) in Log Analytics, and the Activity log for listKeys.",
		DocsURL:       "https://learn.microsoft.com/azure/cosmos-db/database-security",
	}
	azSB := Remediation{
		What:          "An Azure shared access key (SAS authorization rule key) of a Service Bus, Event Hubs, Relay or IoT Hub namespace: it sends, listens or manages with the rights of its rule.",
		RevokeURL:     "https://portal.azure.com/#view/HubsExtension/BrowseResource/resourceType/Microsoft.ServiceBus%2Fnamespaces",
		Revoke:        "Namespace (or entity) > Settings > Shared access policies > (policy named in SharedAccessKeyName): Regenerate the leaked primary or secondary key after moving clients to the other one.",
		RevokeCommand: "az servicebus namespace authorization-rule keys renew --resource-group <RESOURCE_GROUP> --namespace-name <NAMESPACE> --name <RULE_NAME> --key <PrimaryKey|SecondaryKey>  # Event Hubs: az eventhubs namespace authorization-rule keys renew ...",
		Rotate:        "Prefer Microsoft Entra ID with managed identities and disable local (SAS) authentication; otherwise keep the connection string in Key Vault.",
		Misuse:        "The namespace's Activity log and diagnostic logs (RuntimeAuditLogs / OperationalLogs) for unexpected senders and management operations.",
		DocsURL:       "https://learn.microsoft.com/azure/service-bus-messaging/service-bus-sas",
	}
	entra := Remediation{
		What:          "A Microsoft Entra ID (Azure AD) application client secret: with the application (client) ID and tenant it signs in as the service principal with all its API permissions and Azure role assignments.",
		RevokeURL:     "https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade",
		Revoke:        "Entra admin center > App registrations > (app) > Certificates & secrets > Client secrets: delete the leaked secret (match it by its first characters in the Value column or by its ID).",
		RevokeCommand: "az ad app credential delete --id <APP_ID> --key-id <SECRET_KEY_ID>",
		Rotate:        "Add a new secret (`az ad app credential reset --id <APP_ID> --append`), deploy it from Key Vault, then delete the old one. Prefer certificates, managed identities or workload identity federation.",
		Misuse:        "Entra admin center > Monitoring > Sign-in logs > Service principal sign-ins filtered by the application ID (look for unknown IP addresses), the Azure Activity log and Microsoft Graph activity logs for actions of the service principal.",
		DocsURL:       "https://learn.microsoft.com/entra/identity-platform/how-to-add-credentials",
	}
	azdo := Remediation{
		What:          "An Azure DevOps personal access token: it acts as the user who created it on repositories, pipelines, artifacts and work items within its scopes and organizations.",
		RevokeURL:     "https://dev.azure.com/<ORGANIZATION>/_usersSettings/tokens",
		Revoke:        "User settings > Personal access tokens > (token) > Revoke. Organization administrators can revoke any user's PATs in Organization settings > Microsoft Entra > Revoke PATs, or with the token admin API.",
		RevokeCommand: "curl -X DELETE -H \"Authorization: Bearer <ENTRA_ACCESS_TOKEN>\" \"https://vssps.dev.azure.com/<ORGANIZATION>/_apis/tokens/pats?authorizationId=<AUTHORIZATION_ID>&api-version=7.1-preview.1\"",
		Rotate:        "Create a new PAT with the narrowest scopes, one organization and a short expiry, or replace it with Microsoft Entra tokens / service principals; store it as a secret pipeline variable.",
		Misuse:        "Organization settings > Auditing (audit log) filtered by the token owner, and repository/pipeline history for pushes and runs you do not recognise.",
		DocsURL:       "https://learn.microsoft.com/azure/devops/organizations/accounts/use-personal-access-tokens-to-authenticate",
	}

	return []Rule{
		{
			ID:          "azure-cosmosdb-connection-string-key",
			Provider:    "Microsoft Azure",
			Description: "Azure Cosmos DB account key in a connection string (AccountEndpoint=https://….documents.azure.com…;AccountKey=…==). Format: https://learn.microsoft.com/azure/cosmos-db/database-security",
			Keywords:    []string{"documents.azure"},
			Pattern:     `(?i:AccountEndpoint)=https://[A-Za-z0-9.-]{1,100}\.documents\.azure\.(?:com|us|cn)[^;\s"']{0,30};\s{0,3}(?i:AccountKey)=([A-Za-z0-9+/]{86}==)`,
			Group:       1,
			MinEntropy:  4.5,
			Validators:  []Validator{ValidBase64(64)},
			Confidence:  High,
			Remediation: azCosmos,
			TruePositives: []string{
				"COSMOS_CONNECTION_STRING=AccountEndpoint=https://orders-prod.documents.azure.com:443/;AccountKey=+NpezR0QI/oaNQ/QcD/0jaQ+oFkcrza+vqhs/407H9YdX84WowNhCU8y0L7mwS7L42vgp9bjOlqjqkG+Q/H72Q==;",
				`"ConnectionStrings": { "Cosmos": "AccountEndpoint=https://catalog.documents.azure.com:443/;AccountKey=tbkEcw+GvWhOILhGu4SaWaxyn146pCrBXOu4ASH2uPQnlleAQniswHaWQ+/u0lj4ukmWduemlRZAdcpY72kKqA==;Database=catalog" }`,
				`conn = "AccountEndpoint=https://iot-telemetry.documents.azure.us:443/;AccountKey=qQEhT0AqEV5LrW6T6dzRXWHbRcvHk1Wi0hihcA9co2nkuu/QITfG5NT7AG1BhJgy3H/uB7/JvZrJu5RzwWMvdw=="`,
			},
			FalsePositives: []string{
				"AccountEndpoint=https://localhost:8081/;AccountKey=+NpezR0QI/oaNQ/QcD/0jaQ+oFkcrza+vqhs/407H9YdX84WowNhCU8y0L7mwS7L42vgp9bjOlqjqkG+Q/H72Q==",
				"AccountEndpoint=https://orders.documents.azure.com:443/;AccountKey=<your-account-key>;",
				"AccountEndpoint=https://orders.documents.azure.com:443/;AccountKey=${COSMOS_KEY};",
			},
		},
		{
			ID:          "azure-storage-account-key",
			Provider:    "Microsoft Azure",
			Description: "Azure Storage account key in a connection string (…;AccountName=…;AccountKey=<88 base64 characters>). Format: https://learn.microsoft.com/azure/storage/common/storage-configure-connection-string",
			Keywords:    []string{"accountkey="},
			Pattern:     `(?:^|[^A-Za-z0-9])(?i:AccountKey)=([A-Za-z0-9+/]{86}==)`,
			Group:       1,
			MinEntropy:  4.5,
			Validators:  []Validator{ValidBase64(64)},
			Confidence:  High,
			Remediation: azStorage,
			TruePositives: []string{
				"AZURE_STORAGE_CONNECTION_STRING=DefaultEndpointsProtocol=https;AccountName=invoicesprod;AccountKey=fuapOefqHny2w1b5rTOKOonGEyX5g96NbzR94l+l7p3KXj8Y+DHlaRNz6l7yfMty2X6SKUq+q1+/Yn/YOcq9Qw==;EndpointSuffix=core.windows.net",
				`"StorageConnection": "DefaultEndpointsProtocol=https;AccountName=media01;AccountKey=YqIzxPvM3Lu9HCeeO6HXJMNGCV/xkWQnUJYFnfqACXk2di4NH+NvP165tryLpZXWJA7hPRcZtfs+I5LMXlg/uA=="`,
				"conn_str = 'AccountName=backup7;AccountKey=JxZw3XU0hjn3kMLfxUVSdxFUDwCiYMVU9V+6GEzbaGLDHa8LM7Pct6NpdlTgXqS/qVuyIq+2gP4a0/JVVt0xHg==;BlobEndpoint=https://backup7.blob.core.windows.net/'",
			},
			FalsePositives: []string{
				"DefaultEndpointsProtocol=https;AccountName=x;AccountKey=<account-key>;EndpointSuffix=core.windows.net",
				"DefaultEndpointsProtocol=https;AccountName=x;AccountKey=$(STORAGE_KEY)",
				"DefaultEndpointsProtocol=https;AccountName=x;AccountKey=zNlecIkBV9hbVEvzZ6r+lp7YfS2i0QMpdh67HPbjoCE=",
			},
		},
		{
			ID:          "azure-storage-account-key-assignment",
			Provider:    "Microsoft Azure",
			Description: "Azure Storage account key (88 base64 characters ending in ==) assigned to a storage key name (AZURE_STORAGE_KEY, StorageAccountKey, …). Format: https://learn.microsoft.com/azure/storage/common/storage-account-keys-manage",
			Keywords:    []string{"storage"},
			Pattern:     assigned(`azure[_.-]?storage|storage[_.-]?account[_.-]?(?:access[_.-]?)?key|storage[_.-]?key`, `[A-Za-z0-9+/]{86}==`),
			Group:       1,
			MinEntropy:  4.5,
			Validators:  []Validator{ValidBase64(64)},
			Confidence:  Medium,
			Remediation: azStorage,
			TruePositives: []string{
				"AZURE_STORAGE_KEY=YNI5sW7hSvwB4R6Vq011vHg+hDuCnuGs/Ae/DO0IQoBPJ0QpD+g5AxBO8ohd2io/4Pyeko2vFhVjO3Q0kLvMFw==",
				`"StorageAccountKey": "rAT1IEimY93vn+Vmji2VRl2veGrMktRrY4715EAPC8dat/51uRrr+SOizDr7Bb1D8g6aNayfYjoyeELlhuiMBQ==",`,
				"azure_storage_access_key: 'fuapOefqHny2w1b5rTOKOonGEyX5g96NbzR94l+l7p3KXj8Y+DHlaRNz6l7yfMty2X6SKUq+q1+/Yn/YOcq9Qw=='",
			},
			FalsePositives: []string{
				"AZURE_STORAGE_KEY=$AZURE_STORAGE_KEY",
				"AZURE_STORAGE_KEY=Tu+GXzIoAPC1VNbS61fQN/Rn/amvVfsN+Qx9yiWVDUU=",
				"AZURE_STORAGE_KEY=<storage-account-key>",
			},
		},
		{
			ID:          "azure-cosmosdb-key-assignment",
			Provider:    "Microsoft Azure",
			Description: "Azure Cosmos DB account key (88 base64 characters ending in ==) assigned to a Cosmos key name (COSMOS_KEY, CosmosDbPrimaryKey, …). Format: https://learn.microsoft.com/azure/cosmos-db/database-security#primary-keys",
			Keywords:    []string{"cosmos"},
			Pattern:     assigned(`cosmos`, `[A-Za-z0-9+/]{86}==`),
			Group:       1,
			MinEntropy:  4.5,
			Validators:  []Validator{ValidBase64(64)},
			Confidence:  Medium,
			Remediation: azCosmos,
			TruePositives: []string{
				"COSMOS_KEY=YqIzxPvM3Lu9HCeeO6HXJMNGCV/xkWQnUJYFnfqACXk2di4NH+NvP165tryLpZXWJA7hPRcZtfs+I5LMXlg/uA==",
				`"CosmosDbPrimaryKey": "JxZw3XU0hjn3kMLfxUVSdxFUDwCiYMVU9V+6GEzbaGLDHa8LM7Pct6NpdlTgXqS/qVuyIq+2gP4a0/JVVt0xHg=="`,
				"cosmos_master_key: YNI5sW7hSvwB4R6Vq011vHg+hDuCnuGs/Ae/DO0IQoBPJ0QpD+g5AxBO8ohd2io/4Pyeko2vFhVjO3Q0kLvMFw==",
			},
			FalsePositives: []string{
				"COSMOS_KEY=${{ secrets.COSMOS_KEY }}",
				"COSMOS_KEY=<cosmos-primary-key>",
				"COSMOS_ENDPOINT=https://orders.documents.azure.com:443/",
			},
		},
		{
			ID:          "azure-storage-sas-token",
			Provider:    "Microsoft Azure",
			Description: "Azure Storage shared access signature: SAS query parameters (sv, se, sp, …) followed by sig= and a URL-encoded 32-byte HMAC. Format: https://learn.microsoft.com/rest/api/storageservices/create-account-sas",
			Keywords:    []string{"sig="},
			Pattern:     `[?&;](?:sv|ss|srt|sp|se|st|spr|sip|si|sr|sdd|skoid|sktid|skt|ske|sks|skv|ses|rscc|rscd|rsce|rscl|rsct)=[^\s"'<>&]{1,200}&(?:(?:sv|ss|srt|sp|se|st|spr|sip|si|sr|sdd|skoid|sktid|skt|ske|sks|skv|ses|rscc|rscd|rsce|rscl|rsct)=[^\s"'<>&]{0,100}&){0,9}sig=([A-Za-z0-9%+/]{43,130}=?)(?:[&\s"'<>]|$)`,
			Group:       1,
			Validators:  []Validator{validSASSignature},
			Confidence:  High,
			Remediation: azSAS,
			TruePositives: []string{
				"BLOB_URL=https://exports.blob.core.windows.net/reports/q3.csv?sp=r&st=2025-03-01T09:00:00Z&se=2026-03-01T17:00:00Z&spr=https&sv=2022-11-02&sr=b&sig=0Br6liJntWlaZayMqtTLeI4f8uDrd5PZl4Try2sy0I0%3D",
				`sas_token = "?sv=2022-11-02&ss=bfqt&srt=sco&sp=rwdlacupiytfx&se=2026-12-31T23:59:59Z&st=2025-01-01T00:00:00Z&spr=https&sig=FIA9MnRv5zAEqWHlzFcjmc5275RxjJGEuyA2i7Fcw2c%3D"`,
				"curl 'https://media.file.core.windows.net/share/a.bin?sv=2021-08-06&se=2025-09-30&sr=f&sp=rw&sig=q8pVvyZyRikEt4S5kgsrlWRvDBuNOr6%2B1DMNUWEdoCE%3D'",
			},
			FalsePositives: []string{
				"https://x.blob.core.windows.net/c/b?sp=r&se=2026-03-01&sv=2022-11-02&sr=b&sig=<signature>",
				"https://x.blob.core.windows.net/c/b?sp=r&se=2026-03-01&sv=2022-11-02&sr=b&sig=$SAS_SIG",
				"https://example.org/callback?id=7&sig=%2FjSvlzNLcPvtYVTYsitUdIQB%2B4j8U%2FrDJY6FcByTrPM%3D",
				"https://x.blob.core.windows.net/c/b?sp=r&se=2026-03-01&sr=b&sig=c2hvcnQ%3D",
			},
		},
		{
			ID:          "azure-shared-access-key",
			Provider:    "Microsoft Azure",
			Description: "Azure Service Bus / Event Hubs / Relay / IoT Hub shared access key in a connection string (SharedAccessKeyName=…;SharedAccessKey=<44 base64 characters>). Format: https://learn.microsoft.com/azure/service-bus-messaging/service-bus-sas#shared-access-authorization-policies",
			Keywords:    []string{"sharedaccesskey="},
			Pattern:     `(?:^|[^A-Za-z0-9])(?i:SharedAccessKey)=([A-Za-z0-9+/]{43}=)(?:[^A-Za-z0-9+/=]|$)`,
			Group:       1,
			MinEntropy:  4.0,
			Validators:  []Validator{ValidBase64(32)},
			Confidence:  High,
			Remediation: azSB,
			TruePositives: []string{
				"SERVICEBUS_CONNECTION=Endpoint=sb://orders-bus.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=zNlecIkBV9hbVEvzZ6r+lp7YfS2i0QMpdh67HPbjoCE=",
				`"EventHubConnection": "Endpoint=sb://telemetry.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=Tu+GXzIoAPC1VNbS61fQN/Rn/amvVfsN+Qx9yiWVDUU=;EntityPath=events"`,
				"IOTHUB_CONNECTION_STRING='HostName=plant3.azure-devices.net;SharedAccessKeyName=iothubowner;SharedAccessKey=/F3eNzqdVunVdcKwDeLBp4E0FFiVaOHBuTZwYZ7XDHM='",
			},
			FalsePositives: []string{
				"Endpoint=sb://x.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=<your-key>",
				"Endpoint=sb://x.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey={{ .Values.sbKey }}",
				"Endpoint=sb://x.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=rAT1IEimY93vn+Vmji2VRl2veGrMktRrY4715EAPC8dat/51uRrr+SOizDr7Bb1D8g6aNayfYjoyeELlhuiMBQ==",
			},
		},
		{
			ID:          "azure-entra-client-secret",
			Provider:    "Microsoft Azure",
			Description: "Microsoft Entra ID (Azure AD) application client secret: three characters, a digit, Q~, then 31–34 characters. Format: https://learn.microsoft.com/entra/identity-platform/how-to-add-credentials",
			Keywords:    []string{"q~"},
			Pattern:     uniqueToken(`[A-Za-z0-9_~.-]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34}`, `A-Za-z0-9_~.-`),
			Group:       1,
			MinEntropy:  3.8,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  High,
			Remediation: entra,
			TruePositives: []string{
				"AZURE_CLIENT_SECRET=cab2Q~sZ_79pIcFY4B9GBHjbTBNervCVl3uSY__C",
				`"ClientSecret": "uCJ5Q~xhWvxzJ9GXdSkbJwZbwkUGcymSywY2fwsU",`,
				"az login --service-principal -u 0f6c2c9e-3d21-4c5a-9d8e-1f2a3b4c5d6e -p 'yJI4Q~fgDwIBTGeujKeuZYoPgNcqTEo5w7wfXawA' --tenant contoso.onmicrosoft.com",
				"client_secret: U2a2Q~jH66W7gjJ3Qc6sXLxx~sHEH0tAmD1fp",
			},
			FalsePositives: []string{
				"client_secret=bP88Q~xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
				"url: https://example.org/speel~VARA_101375237~mh17~page.html",
				"Identity=USK@u2vn3L,4~q8Q~3wIHjX9DT0yCNfQmr9oxmYrDZoQVLOdNg~yk0,AQACAAE",
				"AZURE_CLIENT_SECRET=wxh5Q~sTi51VDal0ustKikUAj60Sw3cjLSNH41A~Xy",
			},
		},
		{
			ID:          "azure-devops-pat",
			Provider:    "Microsoft Azure",
			Description: "Azure DevOps personal access token, 84-character format carrying the AZDO signature at positions 77–80. Format: https://learn.microsoft.com/purview/sit-defn-azure-devops-personal-access-token",
			Keywords:    []string{"azdo"},
			Pattern:     uniqueToken(`[A-Za-z0-9]{76}AZDO[A-Za-z0-9]{4}`, `A-Za-z0-9`),
			Group:       1,
			MinEntropy:  4.0,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  High,
			Remediation: azdo,
			TruePositives: []string{
				"AZURE_DEVOPS_EXT_PAT=C6EKAbmmJAtJihd9yfbyWHAE51kN8AqTG9WRiSPzvBm56B6rC6h1JQQJ99fZ7UTumI324dS8D6tOAZDOL2OK",
				"git clone https://build:34B4HglheQ0S3fbwDYytza6EoqDwNQMAtRdYVQR3TWa9VoESyrkRJQQJ99a0SZugwoPhDHFeslhXAZDOm8V4@dev.azure.com/contoso/app/_git/app",
				`  "pat": "PuGt3KXuthkJvEelZGFKVc9T3G982JPIC9YkM7AQEAS9J0Ob9MNbJQQJ99VoVDULIagH8iuObSXzAZDOnVLP"`,
			},
			FalsePositives: []string{
				"AZURE_DEVOPS_EXT_PAT=abcdefghijklmnopqrstuvwxyz012345679ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnoAZDOabcd",
				"AZURE_DEVOPS_EXT_PAT=xC6EKAbmmJAtJihd9yfbyWHAE51kN8AqTG9WRiSPzvBm56B6rC6h1JQQJ99fZ7UTumI324dS8D6tOAZDOL2OK",
				"AZURE_DEVOPS_EXT_PAT=$(System.AccessToken) # AZDO",
			},
		},
		{
			ID:          "azure-devops-pat-legacy",
			Provider:    "Microsoft Azure",
			Description: "Azure DevOps personal access token in the older 52-character base32 format, assigned to an Azure DevOps name (AZURE_DEVOPS_PAT, ADO_TOKEN, VSTS…). Format: https://learn.microsoft.com/purview/sit-defn-azure-devops-personal-access-token",
			Keywords:    []string{"devops", "ado_", "ado-", "azdo", "vsts"},
			Pattern:     assigned(`azure[_.-]?devops|\bado[_.-]|azdo|vsts`, `[a-z2-7]{52}`),
			Group:       1,
			MinEntropy:  4.0,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  Medium,
			Remediation: azdo,
			TruePositives: []string{
				"AZURE_DEVOPS_PAT=eh6zprjvjsyh4ncfczbxhfzucrdbnjwyllt3zy25rhywtnyfmujr",
				`ado_token: "smdwohvyum5n2tkciqezx3asjsqrrrrtxat73vjjbzz27wmlifbw"`,
				"export VSTS_TOKEN=qi7drjmokdkcj7kf3uwix5ol2alijlkt2ox4ykloayboqyahithj",
			},
			FalsePositives: []string{
				"AZURE_DEVOPS_PAT=$(AZURE_DEVOPS_PAT)",
				"AZURE_DEVOPS_PAT=eh6zprjvjsyh4ncfczbxhfzucrdbnjwyllt3zy25rhywtnyfmujrx9",
				"AZURE_DEVOPS_PAT=<personal-access-token>",
			},
		},
	}
}
