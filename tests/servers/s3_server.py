"""A local S3-compatible server for tests: moto's S3 (PyPI moto[server]) on 127.0.0.1.

    python tests/servers/s3_server.py --port 9000 [--bucket lake] [--auth]

Prints "ready <port>" on stdout once it accepts requests, then serves until killed.

moto checks `If-None-Match: *` (412 PreconditionFailed when the key exists) but checks and
stores in two steps on a threaded server, so two racing conditional PUTs could both pass.
Real S3 makes the check and the write one atomic step; so does this launcher, by running
every mutating request (PUT/POST/DELETE) under one lock. Reads stay concurrent.

--auth turns on moto's request authentication (INITIAL_NO_AUTH_ACTION_COUNT): the launcher
creates an IAM user with an access key (printed as "key <id> <secret>") and from then on
every request must carry a valid SigV4 signature from it.
"""

import argparse
import os
import sys
import threading


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9000)
    parser.add_argument("--bucket", action="append", default=[])
    parser.add_argument("--auth", action="store_true")
    args = parser.parse_args()
    if args.auth:
        # The launcher's own setup calls below are the unauthenticated ones.
        os.environ["INITIAL_NO_AUTH_ACTION_COUNT"] = "4"

    from moto.moto_server.werkzeug_app import (DomainDispatcherApplication, MotoRequestHandler,
                                               create_backend_app)
    from werkzeug.serving import make_server

    app = DomainDispatcherApplication(create_backend_app)
    write_lock = threading.Lock()

    def serialized(environ, start_response):
        if environ.get("REQUEST_METHOD") in ("PUT", "POST", "DELETE"):
            with write_lock:
                return list(app(environ, start_response))
        return app(environ, start_response)

    server = make_server(args.host, args.port, serialized, threaded=True,
                         request_handler=MotoRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    import boto3
    endpoint = f"http://{args.host}:{server.server_port}"
    key_id, secret = "test", "test"
    if args.auth:
        iam = boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1",
                           aws_access_key_id="setup", aws_secret_access_key="setup")
        iam.create_user(UserName="hashlake")
        iam.put_user_policy(UserName="hashlake", PolicyName="all", PolicyDocument=(
            '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*",'
            '"Resource":"*"}]}'))
        key = iam.create_access_key(UserName="hashlake")["AccessKey"]
        key_id, secret = key["AccessKeyId"], key["SecretAccessKey"]
        print(f"key {key_id} {secret}", flush=True)
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                      aws_access_key_id=key_id, aws_secret_access_key=secret)
    for bucket in args.bucket:
        s3.create_bucket(Bucket=bucket)
    print(f"ready {server.server_port}", flush=True)
    try:
        thread.join()
    except KeyboardInterrupt:
        server.shutdown()
    sys.exit(0)


if __name__ == "__main__":
    main()
