package fakegithub

// authMode is the authentication an operation needs.
type authMode int

const (
	authNone         authMode = iota // none, or checked by the handler
	authApp                          // an App JWT
	authInstallation                 // an installation token
)

// operation is how the fake serves one OpenAPI operation.
type operation struct {
	auth   authMode
	handle func(*Server, *call)
}

// operations maps the operationIds fakegithub serves to their handlers. An
// operation in the description but not here is reported as a violation.
func operations() map[string]operation {
	return map[string]operation{
		"apps/get-authenticated":                  {authApp, (*Server).getApp},
		"apps/create-installation-access-token":   {authApp, (*Server).createInstallationToken},
		"apps/get-installation":                   {authApp, (*Server).getInstallation},
		"apps/get-repo-installation":              {authApp, (*Server).getRepoInstallation},
		"apps/list-webhook-deliveries":            {authApp, (*Server).listDeliveries},
		"apps/redeliver-webhook-delivery":         {authApp, (*Server).redeliver},
		"apps/revoke-installation-access-token":   {authNone, (*Server).revokeInstallationToken},
		"credentials/revoke":                      {authNone, (*Server).revokeCredentials},
		"apps/create-from-manifest":               {authNone, (*Server).createFromManifest},
		"rate-limit/get":                          {authNone, (*Server).getRateLimit},
		"repos/get":                               repoOp((*Server).getRepo),
		"repos/list-commits":                      repoOp((*Server).listCommits),
		"repos/get-commit":                        repoOp((*Server).getCommit),
		"repos/compare-commits":                   repoOp((*Server).compareCommits),
		"repos/get-content":                       repoOp((*Server).getContent),
		"git/get-blob":                            repoOp((*Server).getBlob),
		"pulls/get":                               repoOp((*Server).getPull),
		"pulls/list-commits":                      repoOp((*Server).listPullCommits),
		"pulls/list-files":                        repoOp((*Server).listPullFiles),
		"checks/create":                           repoOp((*Server).createCheckRun),
		"checks/update":                           repoOp((*Server).updateCheckRun),
		"checks/get":                              repoOp((*Server).getCheckRun),
		"checks/list-for-ref":                     repoOp((*Server).listCheckRunsForRef),
		"issues/list-comments":                    repoOp((*Server).listComments),
		"issues/create-comment":                   repoOp((*Server).createComment),
		"issues/get-comment":                      repoOp((*Server).getComment),
		"issues/update-comment":                   repoOp((*Server).updateComment),
		"reactions/create-for-issue-comment":      repoOp((*Server).createReaction),
		"repos/get-collaborator-permission-level": repoOp((*Server).getPermission),
		"teams/get-membership-for-user-in-org":    {authNone, (*Server).getTeamMembership},
	}
}

// repoOp wraps a repository handler: it needs an installation token valid
// for the repository, and answers 404 otherwise, as GitHub hides
// repositories a token cannot see.
func repoOp(h func(*Server, *call, *Repo)) operation {
	return operation{auth: authNone, handle: func(s *Server, c *call) {
		tok, ok := s.requireToken(c)
		if !ok {
			return
		}
		s.mu.Lock()
		repo := s.state.repo(c.params["owner"], c.params["repo"])
		s.mu.Unlock()
		if repo == nil || repo.installationID != tok.installationID || (tok.repoIDs != nil && !tok.repoIDs[repo.id]) {
			notFound(c.w)
			return
		}
		h(s, c, repo)
	}}
}
