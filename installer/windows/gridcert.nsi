; GridCert Windows installer (NSIS 3). Build it with installer/windows/makensis.sh (what
; installer/build.sh runs on Windows), which passes the defines: VERSION, VERSION_QUAD,
; BUNDLE_DIR, OUTFILE, GUI_EXE/CLI_EXE (from app/core/programs.py), REMINDER_TASK (from
; app/actions/reminder.py), SIGN_COMMAND (optional).
; Test builds only: SIMULATE_STANDARD_USER, TEST_AUTOPILOT (see common.nsh).
;
; Behaviour, switches and exit codes: installer/windows/README.md. In short:
; - per user, no administrator rights: %LOCALAPPDATA%\Programs\GridCert, HKCU (default);
;   all users (elevated only: the choice page, or /ALLUSERS): Program Files, HKLM;
; - always a folder of GridCert's own (…\GridCert); an upgrade goes where GridCert is;
; - an upgrade refuses while GridCert runs, moves the old files aside, installs, and puts
;   the old files back if anything fails: never a half-replaced folder;
; - Start-menu shortcut, "Open with GridCert" (never the default handler), the program
;   folder on PATH (so `gridcert` runs gridcert.com from cmd and PowerShell), Apps &
;   features entry; GridCert-files.txt lists every file written, for the uninstaller;
; - Uninstall.exe is built from uninstall.nsi (an ordinary NSIS program, not an NSIS
;   "uninstaller", which would hand itself off to %TEMP% and exit 0 at once) so that its
;   exit code is the real outcome.

Unicode true
SetCompressor /SOLID lzma
ManifestDPIAware true
ManifestSupportedOS all
RequestExecutionLevel user

!addincludedir "${__FILEDIR__}"
!define AP_PAGES  ; the page clicks of test builds (common.nsh)
!include "common.nsh"

!ifndef BUNDLE_DIR
  !error "BUNDLE_DIR is not defined: build with installer/windows/makensis.sh"
!endif
!ifndef OUTFILE
  !error "OUTFILE is not defined: build with installer/windows/makensis.sh"
!endif

Name "${APP_NAME}"
OutFile "${OUTFILE}"
BrandingText "${APP_NAME} ${VERSION}"
; The per-user default. Browse appends "\GridCert" to a chosen folder because this ends
; with it; a $INSTDIR different from it in .onInit means /D= was given.
InstallDir "$LOCALAPPDATA\Programs\${APP_NAME}"
ShowInstDetails show
VIAddVersionKey "FileDescription" "${APP_NAME} installer"
!ifdef TEST_AUTOPILOT
  AutoCloseWindow true
!endif

; ---------------------------------------------------------------- Uninstall.exe
; Compiled here from uninstall.nsi with the same defines, signed like the installer.
!tempfile UNINSTALLER
; makensis on Linux turns every backslash of a !makensis command into a slash: the task
; name's backslash travels as "|" (not allowed in a task name); uninstall.nsi turns it back.
!searchreplace REMINDER_TASK_ESCAPED "${REMINDER_TASK}" "\" "|"
!searchreplace REMINDER_TASK_OLD_ESCAPED "${REMINDER_TASK_OLD}" "\" "|"
!define UNINSTALL_DEFINES `"-DVERSION=${VERSION}" "-DVERSION_QUAD=${VERSION_QUAD}" "-DGUI_EXE=${GUI_EXE}" "-DCLI_EXE=${CLI_EXE}" "-DREMINDER_TASK=${REMINDER_TASK_ESCAPED}" "-DREMINDER_TASK_OLD=${REMINDER_TASK_OLD_ESCAPED}" "-DICON_FILE=${ICON_FILE}" "-DOUTFILE=${UNINSTALLER}"`
!ifdef SIMULATE_STANDARD_USER
  !define /redef UNINSTALL_DEFINES `${UNINSTALL_DEFINES} -DSIMULATE_STANDARD_USER`
!endif
!ifdef TEST_AUTOPILOT
  !define /redef UNINSTALL_DEFINES `${UNINSTALL_DEFINES} -DTEST_AUTOPILOT`
!endif
!makensis `-V2 -WX ${UNINSTALL_DEFINES} uninstall.nsi` = 0
!ifdef SIGN_COMMAND
  !system `${SIGN_COMMAND} "${UNINSTALLER}"` = 0
  !finalize `${SIGN_COMMAND} "%1"` = 0
!endif

; ---------------------------------------------------------------- pages

!include "MUI2.nsh"
!include "nsDialogs.nsh"

!define MUI_ICON "${ICON_FILE}"
!define MUI_HEADERIMAGE
!define MUI_HEADERIMAGE_RIGHT
!define MUI_HEADERIMAGE_BITMAP "header.bmp"
!define MUI_WELCOMEFINISHPAGE_BITMAP "wizard.bmp"
!define MUI_ABORTWARNING

Var AllUsers        ; 1 = everyone on this computer (HKLM, Program Files)
Var IsAdmin         ; 1 = this process is elevated
Var ProfilePath     ; /PROFILE=... made absolute, or empty
Var CustomDir       ; the /D= folder (made GridCert's own), or empty
Var UserDir         ; where "Only me" installs: the registered folder or the default
Var AllDir          ; where "Everyone" installs: the registered folder or the default
Var RadioMe
Var RadioAll
Var AsideDone       ; 1 once an older version's files were moved aside
Var SizeBytes
Var Manifest

Page custom ModePageShow ModePageLeave
!define MUI_PAGE_CUSTOMFUNCTION_SHOW DirectoryShow
!define MUI_PAGE_CUSTOMFUNCTION_LEAVE DirectoryLeave
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN
!define MUI_FINISHPAGE_RUN_TEXT "Start GridCert now"
!define MUI_FINISHPAGE_RUN_FUNCTION StartGridCert
!define MUI_PAGE_CUSTOMFUNCTION_SHOW FinishShow
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_LANGUAGE "English"

; ---------------------------------------------------------------- helpers

!macro UseMode
  ; Registry view and shell folders for the chosen mode.
  ${If} ${RunningX64}
    SetRegView 64
  ${EndIf}
  ${If} $AllUsers == 1
    SetShellVarContext all
  ${Else}
    SetShellVarContext current
  ${EndIf}
!macroend

!macro WriteKey KEY NAME VALUE
  ${If} $AllUsers == 1
    WriteRegStr HKLM "${KEY}" "${NAME}" `${VALUE}`
  ${Else}
    WriteRegStr HKCU "${KEY}" "${NAME}" `${VALUE}`
  ${EndIf}
!macroend

!macro WriteDword KEY NAME VALUE
  ${If} $AllUsers == 1
    WriteRegDWORD HKLM "${KEY}" "${NAME}" "${VALUE}"
  ${Else}
    WriteRegDWORD HKCU "${KEY}" "${NAME}" "${VALUE}"
  ${EndIf}
!macroend

!macro OpenWith EXT
  ; Listed under "Open with", without changing which program opens the file by default.
  ${If} $AllUsers == 1
    WriteRegNone HKLM "Software\Classes\${EXT}\OpenWithProgids" "${PROGID}"
  ${Else}
    WriteRegNone HKCU "Software\Classes\${EXT}\OpenWithProgids" "${PROGID}"
  ${EndIf}
  !insertmacro WriteKey "Software\Classes\Applications\${GUI_EXE}\SupportedTypes" "${EXT}" ""
!macroend

; $0 = the folder $0 made GridCert's own: "\GridCert" is appended unless it is its name.
Function OwnFolder
  ${Do}
    StrCpy $1 $0 1 -1
    ${If} $1 != "\"
    ${OrIf} $0 == ""
      ${Break}
    ${EndIf}
    StrCpy $0 $0 -1
  ${Loop}
  ${GetFileName} $0 $1
  ${If} $1 != "${APP_NAME}"
    StrCpy $0 "$0\${APP_NAME}"
  ${EndIf}
FunctionEnd

Function UsageError
  ; $0: the message.
  !insertmacro Tell "$0$\r$\n$\r$\nSwitches: /S, /ALLUSERS, /CURRENTUSER, /PROFILE=path, /D=folder (last)."
  SetErrorLevel ${EXIT_ABORTED}
  Quit
FunctionEnd

; ---------------------------------------------------------------- start

Function .onInit
  !insertmacro ApInit
  StrCpy $AllUsers 0
  StrCpy $AsideDone 0
  SetShellVarContext current
  ${If} ${RunningX64}
    SetRegView 64
  ${EndIf}
  !insertmacro CheckAdmin $IsAdmin 0

  ; /D=folder: NSIS took it off the command line and put it in $INSTDIR.
  StrCpy $CustomDir ""
  ${If} $INSTDIR != "$LOCALAPPDATA\Programs\${APP_NAME}"
    StrCpy $0 $INSTDIR
    Call OwnFolder
    StrCpy $CustomDir $0
  ${EndIf}

  ; Where each mode installs: where GridCert already is (an upgrade), else the default.
  ReadRegStr $UserDir HKCU "${UNINSTALL_KEY}" "InstallLocation"
  ${If} $UserDir == ""
    StrCpy $UserDir "$LOCALAPPDATA\Programs\${APP_NAME}"
  ${EndIf}
  ReadRegStr $AllDir HKLM "${UNINSTALL_KEY}" "InstallLocation"
  ${If} $AllDir == ""
    StrCpy $AllDir "$PROGRAMFILES64\${APP_NAME}"
  ${EndIf}

  ; Every switch is known, or nothing is installed (exit 2).
  StrCpy $ProfilePath ""
  StrCpy $R2 ""  ; the /PROFILE value as given
  ${GetParameters} $ArgRest
  ${Do}
    Call NextArg
    ${If} $Arg == ""
      ${Break}
    ${EndIf}
    StrCpy $0 $Arg 9
    ${If} $Arg S== "/S"
    ${OrIf} $Arg S== "/NCRC"
      ; NSIS's own (case-sensitive, as NSIS reads them)
    ${ElseIf} $Arg == "/ALLUSERS"
      StrCpy $AllUsers 1
    ${ElseIf} $Arg == "/CURRENTUSER"
      StrCpy $AllUsers 0
    ${ElseIf} $0 == "/PROFILE="
      StrCpy $R2 $Arg "" 9
      ${If} $R2 == ""
        StrCpy $0 "/PROFILE= needs a file: /PROFILE=path."
        Call UsageError
      ${EndIf}
    ${Else}
      StrCpy $0 "Unrecognised switch: $Arg"
      Call UsageError
    ${EndIf}
  ${Loop}

  ${If} $AllUsers == 1
  ${AndIf} $IsAdmin != 1
    !insertmacro Tell "Installing for all users needs administrator rights: run the installer elevated, or leave out /ALLUSERS to install for this user only."
    SetErrorLevel ${EXIT_NEEDS_ELEVATION}
    Quit
  ${EndIf}

  ; /PROFILE=path: made absolute now (relative to the folder the installer was started
  ; from), because installing changes the working folder. Forward slashes are fine.
  ${If} $R2 != ""
    GetFullPathName $ProfilePath $R2
    ${If} $ProfilePath == ""
    ${OrIfNot} ${FileExists} $ProfilePath
      !insertmacro Tell "The deployment profile $R2 was not found."
      SetErrorLevel ${EXIT_NO_PROFILE}
      Quit
    ${EndIf}
    ${If} ${FileExists} "$ProfilePath\*.*"
      !insertmacro Tell "The deployment profile $R2 is a folder, not a file."
      SetErrorLevel ${EXIT_NO_PROFILE}
      Quit
    ${EndIf}
  ${EndIf}

  Call ApplyModeDefaults
FunctionEnd

Function ApplyModeDefaults
  ${If} $CustomDir != ""
    StrCpy $INSTDIR $CustomDir
  ${ElseIf} $AllUsers == 1
    StrCpy $INSTDIR $AllDir
  ${Else}
    StrCpy $INSTDIR $UserDir
  ${EndIf}
FunctionEnd

Function ModePageShow
  ; Only an elevated installer can install for everyone: others never see this page.
  ${If} $IsAdmin != 1
    Abort
  ${EndIf}
  !insertmacro MUI_HEADER_TEXT "Who will use GridCert?" "Install GridCert for yourself or for everyone on this computer."
  nsDialogs::Create 1018
  Pop $0
  ; The folders were worked out once, each in its own context: going Back after choosing
  ; "Everyone" must not show the all-users AppData (ProgramData) for "Only me".
  ${NSD_CreateRadioButton} 0 10u 100% 12u "Only &me ($UserDir)"
  Pop $RadioMe
  ${NSD_CreateRadioButton} 0 30u 100% 12u "&Everyone on this computer ($AllDir)"
  Pop $RadioAll
  ${If} $AllUsers == 1
    ${NSD_Check} $RadioAll
  ${Else}
    ${NSD_Check} $RadioMe
  ${EndIf}
  !ifdef TEST_AUTOPILOT
    !insertmacro ApLine "mode me=$UserDir all=$AllDir"
    Call ApClick
  !endif
  nsDialogs::Show
FunctionEnd

Function ModePageLeave
  ${NSD_GetState} $RadioAll $0
  ${If} $0 == ${BST_CHECKED}
    StrCpy $AllUsers 1
  ${Else}
    StrCpy $AllUsers 0
  ${EndIf}
  !insertmacro UseMode
  Call ApplyModeDefaults
FunctionEnd

Function DirectoryShow
  !insertmacro UseMode
  !ifdef TEST_AUTOPILOT
    !insertmacro ApLine "directory $INSTDIR"
    Call ApClick
  !endif
FunctionEnd

Function DirectoryLeave
  ; A typed folder becomes GridCert's own too, so that uninstalling can remove the folder.
  StrCpy $0 $INSTDIR
  Call OwnFolder
  StrCpy $INSTDIR $0
FunctionEnd

Function FinishShow
  ; After an elevated install "Start GridCert now" would start the wizard as the
  ; administrator, not as the person: it is not offered then.
  ${If} $IsAdmin == 1
    ${NSD_Uncheck} $mui.FinishPage.Run
    ShowWindow $mui.FinishPage.Run ${SW_HIDE}
  ${EndIf}
  !ifdef TEST_AUTOPILOT
    ${NSD_GetState} $mui.FinishPage.Run $0
    !insertmacro ApLine "finish run-offered=$IsAdmin run-checked=$0"
    Call ApClick
  !endif
FunctionEnd

Function StartGridCert
  ${If} $IsAdmin != 1
    Exec '"$INSTDIR\${GUI_EXE}"'
  ${EndIf}
FunctionEnd

!ifdef TEST_AUTOPILOT
; Clicks what %GRIDCERT_TEST_CLICKS% says next: "me"/"all" pick the mode, then "next" or
; "back" press the button.
Function ApClick
  ${Do}
    Call ApNextWord
    ${If} $0 == "me"
      ${NSD_Check} $RadioMe
      ${NSD_Uncheck} $RadioAll
    ${ElseIf} $0 == "all"
      ${NSD_Check} $RadioAll
      ${NSD_Uncheck} $RadioMe
    ${ElseIf} $0 == "back"
      System::Call 'user32::PostMessageW(p $HWNDPARENT, i ${WM_COMMAND}, p 3, p 0)'
      ${Break}
    ${ElseIf} $0 == "next"
      System::Call 'user32::PostMessageW(p $HWNDPARENT, i ${WM_COMMAND}, p 1, p 0)'
      ${Break}
    ${Else}
      ${Break}
    ${EndIf}
  ${Loop}
FunctionEnd
!endif

; ---------------------------------------------------------------- install

; Moves an older version's NAME aside as NAME.gridcert-old ($R0 = 1 if that failed).
!macro SetAside NAME
  ${If} $R0 == 0
  ${AndIf} ${FileExists} "$INSTDIR\${NAME}"
    RMDir /r "$INSTDIR\${NAME}.gridcert-old"
    Delete "$INSTDIR\${NAME}.gridcert-old"
    ClearErrors
    Rename "$INSTDIR\${NAME}" "$INSTDIR\${NAME}.gridcert-old"
    ${If} ${Errors}
      DetailPrint "Could not move aside: $INSTDIR\${NAME}"
      StrCpy $R0 1
    ${EndIf}
  ${EndIf}
!macroend

; Puts NAME.gridcert-old back in place of a new NAME.
!macro PutBack NAME
  ${If} ${FileExists} "$INSTDIR\${NAME}.gridcert-old"
    RMDir /r "$INSTDIR\${NAME}"
    Delete "$INSTDIR\${NAME}"
    Rename "$INSTDIR\${NAME}.gridcert-old" "$INSTDIR\${NAME}"
  ${EndIf}
!macroend

!macro DropAside NAME
  RMDir /r /REBOOTOK "$INSTDIR\${NAME}.gridcert-old"
  Delete /REBOOTOK "$INSTDIR\${NAME}.gridcert-old"
!macroend

!macro ForEachInstalledName MACRO
  !insertmacro ${MACRO} "${GUI_EXE}"
  !insertmacro ${MACRO} "${CLI_EXE}"
  !insertmacro ${MACRO} "gridcert.ico"
  !insertmacro ${MACRO} "${UNINSTALL_EXE}"
  !insertmacro ${MACRO} "${MANIFEST}"
  !insertmacro ${MACRO} "_internal"
!macroend

Function PutBackOld
  ${If} $AsideDone == 1
    DetailPrint "Putting the previous version back"
    !insertmacro ForEachInstalledName PutBack
    StrCpy $AsideDone 0
  ${EndIf}
FunctionEnd

Function .onInstFailed
  Call PutBackOld
FunctionEnd

; The manifest line for one file or folder under _internal, and its size.
Function ManifestCallback
  StrLen $0 "$INSTDIR\"
  StrCpy $1 $R9 "" $0
  ${If} $R6 == ""
    FileWrite $Manifest "D $1$\r$\n"
  ${Else}
    FileWrite $Manifest "F $1$\r$\n"
    IntOp $SizeBytes $SizeBytes + $R6
  ${EndIf}
  ClearErrors
  Push ""
FunctionEnd

!macro ManifestFile NAME
  FileWrite $Manifest "F ${NAME}$\r$\n"
  ClearErrors
  FileOpen $0 "$INSTDIR\${NAME}" r
  ${IfNot} ${Errors}
    FileSeek $0 0 END $1
    FileClose $0
    IntOp $SizeBytes $SizeBytes + $1
  ${EndIf}
!macroend

; $0 = the PATH value of the mode's environment key.
!macro ReadPath
  ${If} $AllUsers == 1
    ReadRegStr $0 HKLM "${MACHINE_ENV_KEY}" "Path"
  ${Else}
    ReadRegStr $0 HKCU "Environment" "Path"
  ${EndIf}
!macroend

Function AddToPath
  !insertmacro ReadPath
  StrCpy $1 $INSTDIR
  Call PathWithout
  ${If} $3 == 1
    DetailPrint "Already on PATH: $INSTDIR"
    Return
  ${EndIf}
  ; NSIS strings hold ${NSIS_MAX_STRLEN} characters: a PATH that long may have been cut
  ; when read, and writing it back would lose entries. Leave it alone then.
  StrLen $4 $0
  StrLen $5 $INSTDIR
  IntOp $5 $4 + $5
  ${If} $5 >= 1000
    DetailPrint "PATH is too long to change safely: add $INSTDIR to it by hand."
    Return
  ${EndIf}
  ${If} $0 == ""
    StrCpy $0 $INSTDIR
  ${Else}
    StrCpy $0 "$0;$INSTDIR"
  ${EndIf}
  ${If} $AllUsers == 1
    WriteRegExpandStr HKLM "${MACHINE_ENV_KEY}" "Path" $0
  ${Else}
    WriteRegExpandStr HKCU "Environment" "Path" $0
  ${EndIf}
  SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=2000
FunctionEnd

Section "GridCert" SecMain
  SectionIn RO
  !insertmacro UseMode
  DetailPrint "Installing into $INSTDIR"
  ; An upgrade: GridCert must not be running, or old and new files would be mixed.
  !insertmacro RequireNotRunning "install"
  ClearErrors
  CreateDirectory "$INSTDIR"
  ${If} ${Errors}
    SetErrorLevel ${EXIT_ABORTED}
    Abort "Could not create $INSTDIR"
  ${EndIf}
  ; The older version's files go aside first (and come back if anything below fails).
  StrCpy $R0 0
  StrCpy $AsideDone 1
  !insertmacro ForEachInstalledName SetAside
  ${If} $R0 == 1
    Call PutBackOld
    SetErrorLevel ${EXIT_ABORTED}
    Abort "Could not move the previous version aside: nothing was changed."
  ${EndIf}

  SetOutPath "$INSTDIR"
  File "${BUNDLE_DIR}\${GUI_EXE}"
  File "${BUNDLE_DIR}\${CLI_EXE}"
  File /r "${BUNDLE_DIR}\_internal"
  File "/oname=gridcert.ico" "${ICON_FILE}"
  File "/oname=${UNINSTALL_EXE}" "${UNINSTALLER}"

  ; The list of what was installed, for the uninstaller; the size for Apps & features.
  StrCpy $SizeBytes 0
  ClearErrors
  FileOpen $Manifest "$INSTDIR\${MANIFEST}" w
  ${If} ${Errors}
    SetErrorLevel ${EXIT_ABORTED}
    Abort "Could not write $INSTDIR\${MANIFEST}"
  ${EndIf}
  !insertmacro ManifestFile "${GUI_EXE}"
  !insertmacro ManifestFile "${CLI_EXE}"
  !insertmacro ManifestFile "gridcert.ico"
  !insertmacro ManifestFile "${UNINSTALL_EXE}"
  FileWrite $Manifest "F ${MANIFEST}$\r$\n"
  FileWrite $Manifest "D _internal$\r$\n"
  ${Locate} "$INSTDIR\_internal" "/L=FD /G=1 /S=0:B" ManifestCallback
  FileClose $Manifest
  IntOp $SizeBytes $SizeBytes + 1023
  IntOp $0 $SizeBytes / 1024

  ; Installed: the older version's files are no longer needed.
  !insertmacro ForEachInstalledName DropAside
  StrCpy $AsideDone 0

  CreateShortcut "$SMPROGRAMS\${APP_NAME}.lnk" "$INSTDIR\${GUI_EXE}" "" "$INSTDIR\${GUI_EXE}" 0 \
    SW_SHOWNORMAL "" "Install, check, renew and move grid-operator certificates"

  ; "Open with GridCert": a ProgID plus OpenWithProgids entries (not the default handler).
  !insertmacro WriteKey "Software\Classes\${PROGID}" "" "Certificate (GridCert)"
  !insertmacro WriteKey "Software\Classes\${PROGID}\DefaultIcon" "" "$INSTDIR\${GUI_EXE},0"
  !insertmacro WriteKey "Software\Classes\${PROGID}\shell\open" "" "Open with GridCert"
  !insertmacro WriteKey "Software\Classes\${PROGID}\shell\open\command" "" '"$INSTDIR\${GUI_EXE}" "%1"'
  !insertmacro WriteKey "Software\Classes\Applications\${GUI_EXE}" "FriendlyAppName" "GridCert"
  !insertmacro WriteKey "Software\Classes\Applications\${GUI_EXE}\shell\open\command" "" '"$INSTDIR\${GUI_EXE}" "%1"'
  !insertmacro OpenWith ".pfx"
  !insertmacro OpenWith ".p12"
  !insertmacro OpenWith ".cer"
  !insertmacro OpenWith ".crt"
  !insertmacro OpenWith ".p7b"
  ; Tell Explorer that file associations changed (SHCNE_ASSOCCHANGED).
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'

  ; `gridcert` from cmd and PowerShell: the program folder on the user's (or, for all
  ; users, the machine's) PATH; gridcert.com is found before an .exe of the same name.
  Push $0
  Call AddToPath
  Pop $0

  ; Apps & features. The uninstaller finds the mode from this registration itself.
  !insertmacro WriteKey "${UNINSTALL_KEY}" "DisplayName" "${APP_NAME}"
  !insertmacro WriteKey "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  !insertmacro WriteKey "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  !insertmacro WriteKey "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${GUI_EXE},0"
  !insertmacro WriteKey "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  !insertmacro WriteKey "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\${UNINSTALL_EXE}"'
  !insertmacro WriteKey "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\${UNINSTALL_EXE}" /S'
  !insertmacro WriteDword "${UNINSTALL_KEY}" "EstimatedSize" $0
  !insertmacro WriteDword "${UNINSTALL_KEY}" "NoModify" 1
  !insertmacro WriteDword "${UNINSTALL_KEY}" "NoRepair" 1
SectionEnd

Section "-Deployment profile" SecProfile
  ${If} $ProfilePath != ""
    DetailPrint "Running the deployment profile $ProfilePath"
    ; Hidden (no console window during a silent install); the CLI's exit code becomes
    ; the installer's: 0 ok, 2 usage, 3 bad input, 4 a target failed (rolled back),
    ; 5 cancelled.
    nsExec::ExecToLog '"$INSTDIR\${CLI_EXE}" install --profile "$ProfilePath" --yes'
    Pop $0
    ${If} $0 == "error"
    ${OrIf} $0 == "timeout"
      StrCpy $0 4
    ${EndIf}
    DetailPrint "gridcert install --profile exited with $0"
    SetErrorLevel $0
  ${EndIf}
SectionEnd

!delfile "${UNINSTALLER}"
