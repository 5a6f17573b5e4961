// Package fairness shares the workers and GitHub's API budget fairly among
// installations, across every worker replica, through Redis.
//
// A Scheduler caps how many jobs of one installation run at once (a lease
// per running job in a sorted set per installation): a worker that takes a
// job of an installation already at its cap hands the job back to the queue
// for a short delay and takes the next one, so a 5,000-commit push or a
// burst of 500 pushes from one organisation leaves workers free for the
// others. The cap also bounds that installation's concurrent API requests,
// since a job makes its requests one at a time.
//
// A Budget watches each installation's GitHub answers. When GitHub refuses
// for a rate limit, or x-ratelimit-remaining falls below a reserve, the
// installation is paused until GitHub's reset time: its new jobs are handed
// back until then, while every other installation's run on. Content-creating
// requests (POST, PATCH, PUT, DELETE) are counted per installation and
// minute, and wait for the next minute before GitHub's secondary limit.
//
// Keys carry the installation in a hash tag ({inst:ID}), so that each
// script's keys live in one Redis Cluster slot.
package fairness
