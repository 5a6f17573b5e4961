package queue

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/pushguard/pushguard/internal/logkey"
)

// jobAttrs are the log attributes that identify a job.
func jobAttrs(id string, job Job) []any {
	return []any{logkey.JobID, id, logkey.Delivery, job.DeliveryID, logkey.Kind, string(job.Kind), logkey.Repo, job.Repository()}
}

// asynqLogger hands asynq's own log lines to slog. asynq's Fatal level is
// logged as an error: the process is not ours to end.
type asynqLogger struct{ log *slog.Logger }

func (l asynqLogger) Debug(args ...any) { l.emit(slog.LevelDebug, args) }
func (l asynqLogger) Info(args ...any)  { l.emit(slog.LevelInfo, args) }
func (l asynqLogger) Warn(args ...any)  { l.emit(slog.LevelWarn, args) }
func (l asynqLogger) Error(args ...any) { l.emit(slog.LevelError, args) }
func (l asynqLogger) Fatal(args ...any) { l.emit(slog.LevelError, args) }

func (l asynqLogger) emit(level slog.Level, args []any) {
	l.log.Log(context.Background(), level, "asynq: "+fmt.Sprint(args...), logkey.Component, "asynq")
}
